import { useNavigate } from '@tanstack/react-router';
import { Check } from 'lucide-react';
import { useState } from 'react';
import { Logo } from '@/components/shell/logo';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';
import { readSetup, type SetupState, writeSetup } from '@/lib/setup';
import { prefs } from '@/lib/storage';
import { StepDevice, StepOrganisation, StepVerify } from './steps';

const steps = [
  { n: 1, title: 'Create your organisation', hint: 'The customer or team your routers belong to' },
  { n: 2, title: 'Add a device', hint: 'Or try TOD with a demo fleet' },
  { n: 3, title: 'Verify', hint: 'See it come online' },
] as const;

/** First run for a super_admin: resumable (state in the browser) and skippable at every step. */
export function SetupWizard() {
  const navigate = useNavigate();
  const [state, setState] = useState<SetupState>(() => readSetup());
  const update = (s: SetupState) => {
    writeSetup(s);
    setState(s);
  };
  // Leaving lands on the dashboard of the organisation the wizard worked in. The writes it made (organisation,
  // device, demo) invalidated what they changed, so the layout's guard sees the organisations they created.
  const leave = async (status: 'skipped' | 'done', tenantId?: string) => {
    if (tenantId) prefs.set('tenant', tenantId);
    update({ ...state, status });
    await navigate({ to: '/' });
  };

  return (
    <div className="grid min-h-dvh bg-surface md:grid-cols-[320px_1fr]">
      <aside className="flex flex-col gap-8 border-r bg-background p-8">
        <div className="flex items-center gap-2">
          <Logo />
          <span className="text-sm font-semibold">Set up TOD</span>
        </div>
        <ol className="grid gap-1" aria-label="Setup steps">
          {steps.map((s) => {
            const done = state.step > s.n;
            const active = state.step === s.n;
            return (
              <li
                key={s.n}
                aria-current={active ? 'step' : undefined}
                className={cn('flex gap-3 rounded-lg p-2.5', active && 'bg-accent')}
              >
                <span
                  className={cn(
                    'grid size-6 shrink-0 place-items-center rounded-full border text-xs font-medium',
                    done && 'border-success bg-success text-background',
                    active && 'border-foreground',
                  )}
                >
                  {done ? <Check className="size-3.5" aria-label="done" /> : s.n}
                </span>
                <span className="grid gap-0.5">
                  <span className={cn('text-[13px] font-medium', !active && !done && 'text-muted-foreground')}>
                    {s.title}
                  </span>
                  <span className="text-xs text-muted-foreground">{s.hint}</span>
                </span>
              </li>
            );
          })}
        </ol>
        <div className="mt-auto">
          <Button variant="ghost" size="sm" onClick={() => leave('skipped')}>
            Skip setup for now
          </Button>
        </div>
      </aside>
      <main className="flex items-start justify-center p-8 md:pt-[12vh]">
        <div key={state.step} className="w-full max-w-lg animate-page-in">
          {state.step === 1 ? (
            <StepOrganisation
              onDone={(tenantId) => {
                prefs.set('tenant', tenantId);
                update({ ...state, step: 2, tenantId });
              }}
            />
          ) : state.step === 2 ? (
            <StepDevice
              tenantId={state.tenantId ?? prefs.get('tenant') ?? ''}
              onAdded={(deviceId) => update({ ...state, step: 3, deviceId })}
              onDemo={(tenantId) => void leave('done', tenantId)}
              onBack={() => update({ ...state, step: 1 })}
            />
          ) : (
            <StepVerify
              tenantId={state.tenantId ?? prefs.get('tenant') ?? ''}
              deviceId={state.deviceId}
              onFinish={() => leave('done', state.tenantId)}
              onBack={() => update({ ...state, step: 2 })}
            />
          )}
        </div>
      </main>
    </div>
  );
}

import { useNavigate } from '@tanstack/react-router';
import { Loader2, Send } from 'lucide-react';
import { useState } from 'react';
import type { WindowScope } from '@/api/maintenance-windows';
import { applyToMany, type FormBody, type RolloutOptions, type Tab, type Targets } from '@/api/simple-config';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';
import { Segmented } from '../changes/segmented';
import { ScopePicker } from '../maintenance/scope-picker';
import { type FieldError, formErrors, pathWords } from './errors';

// "Apply to many devices…": the form as it is now, on a chosen set of devices (any mix of devices, groups, tags and
// sites), as a rollout in waves — a canary first, then batches — each device one safe-change operation. Once
// started, the rollout's page follows it.

type Mode = NonNullable<RolloutOptions['mode']>;
type Numbers = { canary: string; batch: string; concurrency: string; maxFailures: string };
const bounds: Record<keyof Numbers, [number, number]> = {
  canary: [0, 1000],
  batch: [1, 10_000],
  concurrency: [1, 500],
  maxFailures: [0, 10_000],
};
const modeHelp: Record<Mode, string> = {
  safe: 'Each router arms an automatic revert first; the change is kept once TOD reaches the router again.',
  test: 'Like Safe, then each device waits for Keep on the rollout page; otherwise the router reverts it.',
  standard: 'No automatic revert (a backup is still taken first).',
};

function targetsOf(scopes: readonly WindowScope[]): Targets {
  const ids = (k: WindowScope['kind']) => scopes.filter((s) => s.kind === k && s.id).map((s) => s.id as string);
  const out: Targets = {};
  for (const [key, kind] of [
    ['device_ids', 'device'],
    ['group_ids', 'group'],
    ['tag_ids', 'tag'],
    ['site_ids', 'site'],
  ] as const) {
    const list = ids(kind);
    if (list.length > 0) out[key] = list;
  }
  return out;
}

export function ManyDialog(props: {
  tenantId: string;
  deviceId: string;
  tab: Tab;
  label: string;
  form: FormBody;
  onFormErrors: (e: FieldError[]) => void;
  onClose: () => void;
}) {
  const navigate = useNavigate();
  const [scopes, setScopes] = useState<WindowScope[]>([{ kind: 'device', id: props.deviceId }]);
  const [n, setN] = useState<Numbers>({ canary: '1', batch: '10', concurrency: '10', maxFailures: '0' });
  const [neverPause, setNeverPause] = useState(false);
  const [mode, setMode] = useState<Mode>('safe');
  const [checked, setChecked] = useState(false);
  const start = useApiMutation(applyToMany, { silentErrors: true, success: () => 'Rollout started' });

  const numbers: Partial<Record<keyof Numbers, number>> = {};
  const errors: Partial<Record<keyof Numbers, string>> = {};
  for (const k of Object.keys(bounds) as (keyof Numbers)[]) {
    if (k === 'maxFailures' && neverPause) continue;
    const [min, max] = bounds[k];
    const v = /^\d+$/.test(n[k].trim()) ? Number(n[k].trim()) : Number.NaN;
    if (!Number.isInteger(v) || v < min || v > max) errors[k] = `A whole number from ${min} to ${max}`;
    else numbers[k] = v;
  }
  const shown = checked ? errors : {};
  const formProblems = formErrors(start.error);

  const submit = () => {
    setChecked(true);
    if (Object.keys(errors).length > 0 || scopes.length === 0) return;
    const rollout: RolloutOptions = {
      canary: numbers.canary as number,
      batch_size: numbers.batch as number,
      concurrency: numbers.concurrency as number,
      max_failures: neverPause ? null : (numbers.maxFailures as number),
      mode,
    };
    start.mutate(
      { tenantId: props.tenantId, tab: props.tab, form: props.form, targets: targetsOf(scopes), rollout },
      {
        onSuccess: (r) => navigate({ to: '/rollouts/$rolloutId', params: { rolloutId: r.rollout_id } }),
        onError: (e) => props.onFormErrors(formErrors(e)),
      },
    );
  };

  const number = (k: keyof Numbers, label: string, hint: string) => (
    <Field id={`many-${k}`} label={label} hint={hint} {...(shown[k] ? { error: shown[k] } : {})}>
      <Input
        id={`many-${k}`}
        inputMode="numeric"
        value={n[k]}
        disabled={k === 'maxFailures' && neverPause}
        aria-invalid={shown[k] ? true : undefined}
        onChange={(e) => setN({ ...n, [k]: e.target.value })}
      />
    </Field>
  );

  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title={`Apply ${props.label} to many devices`}
        description="This form, exactly as it is now, on every device chosen: a rollout in waves, each device changed by the safe-change engine."
        className="top-[5vh] max-w-2xl"
      >
        <form
          id="many-form"
          noValidate
          className="grid max-h-[70vh] gap-5 overflow-y-auto pr-1"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <section className="grid gap-2" aria-labelledby="many-targets">
            <h3 id="many-targets" className="text-[13px] font-medium">
              Devices
            </h3>
            <ScopePicker tenantId={props.tenantId} value={scopes} onChange={setScopes} />
            {checked && scopes.length === 0 ? (
              <p role="alert" className="text-xs text-destructive">
                Choose at least one device, group, tag or site.
              </p>
            ) : null}
          </section>
          <section className="grid gap-3" aria-labelledby="many-rollout">
            <h3 id="many-rollout" className="text-[13px] font-medium">
              Rollout
            </h3>
            <div className="grid gap-3 sm:grid-cols-3">
              {number('canary', 'Canary devices', 'Changed first, alone; 0 for none.')}
              {number('batch', 'Batch size', 'Devices per wave after the canary.')}
              {number('concurrency', 'Concurrency', 'Devices changed at once.')}
            </div>
            <div className="grid gap-1.5">
              {number('maxFailures', 'Pause after more than this many failures', '0: the first failure pauses it.')}
              <label className="flex items-center gap-2 text-[13px]">
                <input type="checkbox" checked={neverPause} onChange={(e) => setNeverPause(e.target.checked)} />
                Never pause
              </label>
            </div>
            <div className="grid gap-1.5">
              <span className="text-[13px] font-medium">How each device is changed</span>
              <Segmented
                label="How each device is changed"
                value={mode}
                options={[
                  ['safe', 'Safe'],
                  ['test', 'Test'],
                  ['standard', 'Standard'],
                ]}
                onChange={setMode}
              />
              <p className="text-xs text-muted-foreground">{modeHelp[mode]}</p>
            </div>
          </section>
          {start.error ? (
            <div role="alert" className="grid gap-1 text-[13px] text-destructive" data-many-error>
              <p>{formProblems.length > 0 ? 'The form cannot be applied as it is:' : start.error.detail}</p>
              {formProblems.length > 0 ? (
                <ul className="grid gap-0.5 text-xs">
                  {formProblems.map((p) => (
                    <li key={`${p.path} ${p.message}`}>
                      {pathWords(p.path)}: {p.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </form>
        <DialogFooter>
          <Button onClick={props.onClose}>Cancel</Button>
          <Button type="submit" form="many-form" variant="primary" disabled={start.isPending}>
            {start.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}
            Start rollout
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

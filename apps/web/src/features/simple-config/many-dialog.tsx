import { useNavigate } from '@tanstack/react-router';
import { Loader2, Send } from 'lucide-react';
import { useState } from 'react';
import type { WindowScope } from '@/api/maintenance-windows';
import { applyToMany, type FormBody, type Tab } from '@/api/simple-config';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { useApiMutation } from '@/lib/mutation';
import { ScopePicker } from '../maintenance/scope-picker';
import { RolloutOptionsFields } from '../rollouts/options-fields';
import { defaultOptions, type OptionsForm, rolloutOptions, targetsOf } from '../rollouts/options-form';
import { type FieldError, formErrors, pathWords } from './errors';

// "Apply to many devices…": the form as it is now, on a chosen set of devices (any mix of devices, groups, tags and
// sites), as a rollout in waves — a canary first, then batches — each device one safe-change operation. Once
// started, the rollout's page follows it.

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
  const [form, setForm] = useState<OptionsForm>(defaultOptions);
  const [checked, setChecked] = useState(false);
  const start = useApiMutation(applyToMany, { silentErrors: true, success: () => 'Rollout started' });
  const opts = rolloutOptions(form);
  const shown = checked && opts.errors ? opts.errors : {};
  const formProblems = formErrors(start.error);

  const submit = () => {
    setChecked(true);
    if (opts.errors || scopes.length === 0) return;
    start.mutate(
      { tenantId: props.tenantId, tab: props.tab, form: props.form, targets: targetsOf(scopes), rollout: opts.options },
      {
        onSuccess: (r) => navigate({ to: '/rollouts/$rolloutId', params: { rolloutId: r.rollout_id } }),
        onError: (e) => props.onFormErrors(formErrors(e)),
      },
    );
  };

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
          <RolloutOptionsFields id="many" value={form} onChange={setForm} errors={shown} />
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

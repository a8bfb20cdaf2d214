import { useNavigate } from '@tanstack/react-router';
import { Send } from 'lucide-react';
import { useState } from 'react';
import type { WindowScope } from '@/api/maintenance-windows';
import { applyToMany, type FormBody, type Tab } from '@/api/simple-config';
import { useApiMutation } from '@/lib/mutation';
import { RolloutOptionsFields } from '../rollouts/options-fields';
import { defaultOptions, type OptionsForm, rolloutOptions, targetsOf } from '../rollouts/options-form';
import { RefusedAlert, StartRolloutDialog, TargetsSection } from '../rollouts/start-dialog';
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
    <StartRolloutDialog
      id="many"
      title={`Apply ${props.label} to many devices`}
      description="This form, exactly as it is now, on every device chosen: a rollout in waves, each device changed by the safe-change engine."
      onClose={props.onClose}
      onSubmit={submit}
      pending={start.isPending}
      icon={Send}
      submitLabel="Start rollout"
    >
      <TargetsSection
        id="many-targets"
        title="Devices"
        tenantId={props.tenantId}
        value={scopes}
        onChange={setScopes}
        checked={checked}
      />
      <RolloutOptionsFields id="many" value={form} onChange={setForm} errors={shown} />
      {start.error ? (
        <RefusedAlert
          data="data-many-error"
          lead={formProblems.length > 0 ? 'The form cannot be applied as it is:' : start.error.detail}
          problems={formProblems.map((p) => ({
            key: `${p.path} ${p.message}`,
            text: `${pathWords(p.path)}: ${p.message}`,
          }))}
        />
      ) : null}
    </StartRolloutDialog>
  );
}

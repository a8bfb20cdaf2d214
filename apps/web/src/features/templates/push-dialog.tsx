import { useNavigate } from '@tanstack/react-router';
import { Send } from 'lucide-react';
import { useState } from 'react';
import type { WindowScope } from '@/api/maintenance-windows';
import { pushTemplate, type Template } from '@/api/templates';
import { useApiMutation } from '@/lib/mutation';
import { useScopeNames } from '../maintenance/scope-picker';
import { RolloutOptionsFields } from '../rollouts/options-fields';
import { defaultOptions, type OptionsForm, rolloutOptions, targetsOf } from '../rollouts/options-form';
import { DialogSection, RefusedAlert, StartRolloutDialog, TargetsSection } from '../rollouts/start-dialog';
import { typedValues, type ValueTexts, variableDraft } from './draft';
import { renderProblemPath } from './push-form';
import { ValuesForm } from './values-form';

// Pushing a template: to which devices (any mix of devices, groups, tags and sites), with which values, and how the
// rollout goes (waves, limits, failure threshold, mode, when). The server renders for every target first and names
// each device and variable that does not render; once it starts, the rollout's own page follows it.

export function PushDialog(props: {
  tenantId: string;
  template: Template;
  initial?: { deviceIds?: string[]; values?: ValueTexts; reuseValues?: boolean };
  onClose: () => void;
}) {
  const variables = props.template.variables.map(variableDraft);
  const [scopes, setScopes] = useState<WindowScope[]>(() =>
    (props.initial?.deviceIds ?? []).map((id) => ({ kind: 'device' as const, id })),
  );
  const [values, setValues] = useState<ValueTexts>(props.initial?.values ?? {});
  const [reuse, setReuse] = useState(props.initial?.reuseValues ?? false);
  const [form, setForm] = useState<OptionsForm>(defaultOptions);
  const [checked, setChecked] = useState(false);
  const { nameOf } = useScopeNames(props.tenantId);
  const navigate = useNavigate();
  const push = useApiMutation(pushTemplate, { silentErrors: true, success: () => 'Rollout started' });
  const opts = rolloutOptions(form);
  const shownErrors = checked && opts.errors ? opts.errors : {};
  const targets = targetsOf(scopes);

  // The server's render problems: by variable beside its field, and all of them (with the device) in a list.
  const problems = push.error?.code === 'template_invalid' ? push.error.fieldErrors : [];
  const byVariable: Record<string, string> = {};
  for (const p of problems) {
    const { variable } = renderProblemPath(p.path);
    if (variable && !byVariable[variable]) byVariable[variable] = p.message;
  }
  const deviceName = (id: string | undefined) => (id ? nameOf({ kind: 'device', id }) : undefined);

  const submit = () => {
    setChecked(true);
    if (opts.errors || scopes.length === 0) return;
    push.mutate(
      {
        tenantId: props.tenantId,
        id: props.template.id,
        body: {
          targets,
          values: typedValues(variables, values),
          ...(reuse ? { reuse_values: true } : {}),
          rollout: opts.options,
        },
      },
      { onSuccess: (r) => navigate({ to: '/rollouts/$rolloutId', params: { rolloutId: r.rollout_id } }) },
    );
  };

  return (
    <StartRolloutDialog
      id="push"
      title={`Push ${props.template.name}`}
      description="Each device is changed by the safe-change engine, in waves: a canary first, then batches."
      className="max-w-3xl"
      onClose={props.onClose}
      onSubmit={submit}
      pending={push.isPending}
      icon={Send}
      submitLabel={form.later ? 'Schedule push' : 'Push'}
    >
      <TargetsSection
        id="push-targets"
        title="Targets"
        tenantId={props.tenantId}
        value={scopes}
        onChange={setScopes}
        checked={checked}
      />
      <DialogSection id="push-values" title="Values">
        <p className="text-xs text-muted-foreground">
          For every target; an empty field takes the device's group value, then the default.
        </p>
        <label className="flex items-center gap-2 text-[13px]">
          <input type="checkbox" checked={reuse} onChange={(e) => setReuse(e.target.checked)} />
          Keep each device's values from its last push (values entered here win)
        </label>
        <ValuesForm id="push-value" variables={variables} values={values} onChange={setValues} errors={byVariable} />
      </DialogSection>
      <RolloutOptionsFields id="push" value={form} onChange={setForm} errors={shownErrors} />
      {push.error ? (
        <RefusedAlert
          data="data-push-error"
          lead={push.error.detail}
          problems={problems.map((p) => {
            const name = deviceName(renderProblemPath(p.path).deviceId);
            return {
              key: `${p.path} ${p.message}`,
              text: `${name && !p.message.includes(name) ? `${name}: ` : ''}${p.message}`,
            };
          })}
        />
      ) : null}
    </StartRolloutDialog>
  );
}

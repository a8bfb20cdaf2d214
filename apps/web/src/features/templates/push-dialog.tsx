import { useNavigate } from '@tanstack/react-router';
import { Loader2, Send } from 'lucide-react';
import { useState } from 'react';
import type { WindowScope } from '@/api/maintenance-windows';
import { pushTemplate, type Template } from '@/api/templates';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/cn';
import { useApiMutation } from '@/lib/mutation';
import { Segmented } from '../changes/segmented';
import { modeLabel } from '../changes/words';
import { ScopePicker, useScopeNames } from '../maintenance/scope-picker';
import { typedValues, type ValueTexts, variableDraft } from './draft';
import { defaultOptions, type Mode, type OptionsForm, renderProblemPath, rolloutOptions, targetsOf } from './push-form';
import { ValuesForm } from './values-form';

// Pushing a template: to which devices (any mix of devices, groups, tags and sites), with which values, and how the
// rollout goes (waves, limits, failure threshold, mode, when). The server renders for every target first and names
// each device and variable that does not render; once it starts, the rollout's own page follows it.

const modeHelp: Record<Mode, string> = {
  safe: 'Each router arms an automatic revert first; the change is kept once TOD reaches the router again.',
  test: 'Like Safe, then each device waits for Keep on the rollout page; otherwise the router reverts it.',
  standard: 'No automatic revert (a backup is still taken first).',
};

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
  const set = <K extends keyof OptionsForm>(k: K, v: OptionsForm[K]) => setForm((f) => ({ ...f, [k]: v }));
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

  const number = (k: 'canary' | 'batch' | 'concurrency' | 'timeout', label: string, hint: string) => (
    <Field id={`push-${k}`} label={label} hint={hint} {...(shownErrors[k] ? { error: shownErrors[k] } : {})}>
      <Input
        id={`push-${k}`}
        inputMode="numeric"
        value={form[k]}
        aria-invalid={shownErrors[k] ? true : undefined}
        onChange={(e) => set(k, e.target.value)}
      />
    </Field>
  );

  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title={`Push ${props.template.name}`}
        description="Each device is changed by the safe-change engine, in waves: a canary first, then batches."
        className="top-[4vh] max-w-3xl"
      >
        <form
          noValidate
          className="grid max-h-[74vh] gap-5 overflow-y-auto pr-1"
          id="push-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <section className="grid gap-2" aria-labelledby="push-targets">
            <h3 id="push-targets" className="text-[13px] font-medium">
              Targets
            </h3>
            <ScopePicker tenantId={props.tenantId} value={scopes} onChange={setScopes} />
            {checked && scopes.length === 0 ? (
              <p role="alert" className="text-xs text-destructive">
                Choose at least one device, group, tag or site.
              </p>
            ) : null}
          </section>

          <section className="grid gap-2" aria-labelledby="push-values">
            <h3 id="push-values" className="text-[13px] font-medium">
              Values
            </h3>
            <p className="text-xs text-muted-foreground">
              For every target; an empty field takes the device's group value, then the default.
            </p>
            <label className="flex items-center gap-2 text-[13px]">
              <input type="checkbox" checked={reuse} onChange={(e) => setReuse(e.target.checked)} />
              Keep each device's values from its last push (values entered here win)
            </label>
            <ValuesForm
              id="push-value"
              variables={variables}
              values={values}
              onChange={setValues}
              errors={byVariable}
            />
          </section>

          <section className="grid gap-3" aria-labelledby="push-rollout">
            <h3 id="push-rollout" className="text-[13px] font-medium">
              Rollout
            </h3>
            <div className="grid gap-3 sm:grid-cols-2">
              {number('canary', 'Canary devices', 'Changed first, alone; 0 for no canary.')}
              {number('batch', 'Batch size', 'Devices per wave after the canary.')}
              {number('concurrency', 'Concurrency', 'Devices changed at once.')}
              {number('timeout', 'Timeout per device (seconds)', 'A device not done by then fails; the others go on.')}
            </div>
            <Field
              id="push-max-failures"
              label="Pause after more than this many failures"
              hint="0: the first failed or reverted device pauses the rollout."
              {...(shownErrors.maxFailures ? { error: shownErrors.maxFailures } : {})}
            >
              <div className="flex flex-wrap items-center gap-3">
                <Input
                  id="push-max-failures"
                  inputMode="numeric"
                  className="w-28"
                  value={form.maxFailures}
                  disabled={form.neverPause}
                  onChange={(e) => set('maxFailures', e.target.value)}
                />
                <label className="flex items-center gap-2 text-[13px]">
                  <input
                    type="checkbox"
                    checked={form.neverPause}
                    onChange={(e) => set('neverPause', e.target.checked)}
                  />
                  Never pause
                </label>
              </div>
            </Field>
            <fieldset className="grid gap-2">
              <legend className="mb-1 text-[13px] font-medium">Mode</legend>
              {(['safe', 'test', 'standard'] as const).map((m) => (
                <label
                  key={m}
                  className={cn(
                    'grid cursor-pointer grid-cols-[auto_1fr] gap-x-2 rounded-md border px-3 py-2',
                    form.mode === m && 'border-ring bg-accent/40',
                  )}
                >
                  <input
                    type="radio"
                    name="push-mode"
                    value={m}
                    checked={form.mode === m}
                    onChange={() => set('mode', m)}
                    aria-describedby={`push-mode-${m}-help`}
                    className="mt-0.5"
                  />
                  <span className="text-[13px] font-medium">
                    {modeLabel[m]}
                    {m === 'safe' ? <span className="font-normal text-muted-foreground"> (recommended)</span> : null}
                  </span>
                  <span id={`push-mode-${m}-help`} className="col-start-2 text-xs text-muted-foreground">
                    {modeHelp[m]}
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="grid gap-2">
              <span className="text-[13px] font-medium">When</span>
              <Segmented
                label="When"
                value={form.later ? 'later' : 'now'}
                options={[
                  ['now', 'Now'],
                  ['later', 'At a time'],
                ]}
                onChange={(v) => set('later', v === 'later')}
              />
              {form.later ? (
                <Field id="push-at" label="Start at" {...(shownErrors.at ? { error: shownErrors.at } : {})}>
                  <Input
                    id="push-at"
                    type="datetime-local"
                    className="w-60"
                    value={form.at}
                    onChange={(e) => set('at', e.target.value)}
                  />
                </Field>
              ) : null}
            </div>
            <label className="flex items-center gap-2 text-[13px]">
              <input
                type="checkbox"
                checked={form.backupAfter}
                onChange={(e) => set('backupAfter', e.target.checked)}
              />
              Back up every changed device when the rollout ends
            </label>
          </section>

          {push.error ? (
            <div role="alert" className="grid gap-1 text-[13px] text-destructive" data-push-error>
              <p>{push.error.detail}</p>
              {problems.length > 0 ? (
                <ul className="grid gap-0.5 text-xs">
                  {problems.map((p) => {
                    const name = deviceName(renderProblemPath(p.path).deviceId);
                    return (
                      <li key={`${p.path} ${p.message}`}>
                        {name && !p.message.includes(name) ? `${name}: ` : ''}
                        {p.message}
                      </li>
                    );
                  })}
                </ul>
              ) : null}
            </div>
          ) : null}
        </form>
        <DialogFooter>
          <Button onClick={props.onClose}>Cancel</Button>
          <Button type="submit" form="push-form" variant="primary" disabled={push.isPending}>
            {push.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}
            {form.later ? 'Schedule push' : 'Push'}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

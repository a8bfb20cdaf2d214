import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/cn';
import { Segmented } from '../changes/segmented';
import { modeLabel } from '../changes/words';
import type { Mode, OptionErrors, OptionsForm } from './options-form';

// The "Rollout" section of every dialog that starts one: waves, limits, failure threshold, mode, when, and the backup
// at the end. A dialog hides what does not apply to it (a read-only bulk command has no mode and no backup).

const modeHelp: Record<Mode, string> = {
  safe: 'Each router arms an automatic revert first; the change is kept once TOD reaches the router again.',
  test: 'Like Safe, then each device waits for Keep on the rollout page; otherwise the router reverts it.',
  standard: 'No automatic revert (a backup is still taken first).',
};

export type OptionsShown = { mode?: boolean; schedule?: boolean; backupAfter?: boolean };

export function RolloutOptionsFields(props: {
  /** Prefix of the inputs' ids, unique on the page. */
  id: string;
  value: OptionsForm;
  onChange: (next: OptionsForm) => void;
  /** Shown once the user tried to submit. */
  errors: OptionErrors;
  show?: OptionsShown;
}) {
  const { id, value: form, errors } = props;
  const show = { mode: true, schedule: true, backupAfter: true, ...props.show };
  const set = <K extends keyof OptionsForm>(k: K, v: OptionsForm[K]) => props.onChange({ ...form, [k]: v });

  const number = (k: 'canary' | 'batch' | 'concurrency' | 'timeout', label: string, hint: string) => (
    <Field id={`${id}-${k}`} label={label} hint={hint} {...(errors[k] ? { error: errors[k] } : {})}>
      <Input
        id={`${id}-${k}`}
        inputMode="numeric"
        value={form[k]}
        aria-invalid={errors[k] ? true : undefined}
        onChange={(e) => set(k, e.target.value)}
      />
    </Field>
  );

  return (
    <section className="grid gap-3" aria-labelledby={`${id}-rollout`}>
      <h3 id={`${id}-rollout`} className="text-[13px] font-medium">
        Rollout
      </h3>
      <div className="grid gap-3 sm:grid-cols-2">
        {number('canary', 'Canary devices', 'Run first, alone; 0 for no canary.')}
        {number('batch', 'Batch size', 'Devices per wave after the canary.')}
        {number('concurrency', 'Concurrency', 'Devices at once.')}
        {number('timeout', 'Timeout per device (seconds)', 'A device not done by then fails; the others go on.')}
      </div>
      <Field
        id={`${id}-maxFailures`}
        label="Pause after more than this many failures"
        hint="0: the first failed or reverted device pauses the rollout."
        {...(errors.maxFailures ? { error: errors.maxFailures } : {})}
      >
        <div className="flex flex-wrap items-center gap-3">
          <Input
            id={`${id}-maxFailures`}
            inputMode="numeric"
            className="w-28"
            value={form.maxFailures}
            disabled={form.neverPause}
            aria-invalid={errors.maxFailures ? true : undefined}
            onChange={(e) => set('maxFailures', e.target.value)}
          />
          <label className="flex items-center gap-2 text-[13px]">
            <input type="checkbox" checked={form.neverPause} onChange={(e) => set('neverPause', e.target.checked)} />
            Never pause
          </label>
        </div>
      </Field>
      {show.mode ? (
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
                name={`${id}-mode`}
                value={m}
                checked={form.mode === m}
                onChange={() => set('mode', m)}
                aria-describedby={`${id}-mode-${m}-help`}
                className="mt-0.5"
              />
              <span className="text-[13px] font-medium">
                {modeLabel[m]}
                {m === 'safe' ? <span className="font-normal text-muted-foreground"> (recommended)</span> : null}
              </span>
              <span id={`${id}-mode-${m}-help`} className="col-start-2 text-xs text-muted-foreground">
                {modeHelp[m]}
              </span>
            </label>
          ))}
        </fieldset>
      ) : null}
      {show.schedule ? (
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
            <Field id={`${id}-at`} label="Start at" {...(errors.at ? { error: errors.at } : {})}>
              <Input
                id={`${id}-at`}
                type="datetime-local"
                className="w-60"
                value={form.at}
                onChange={(e) => set('at', e.target.value)}
              />
            </Field>
          ) : null}
        </div>
      ) : null}
      {show.backupAfter ? (
        <label className="flex items-center gap-2 text-[13px]">
          <input type="checkbox" checked={form.backupAfter} onChange={(e) => set('backupAfter', e.target.checked)} />
          Back up every changed device when the rollout ends
        </label>
      ) : null}
    </section>
  );
}

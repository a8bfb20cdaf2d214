import { OctagonAlert, TriangleAlert } from 'lucide-react';
import type { ApplyOptions, Mode, Risk } from '@/api/changes';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/cn';
import { modeHelp, modeLabel } from './words';

// What the review and restore dialogs share: how to apply (Safe by default, Test with a Keep window, Standard), and
// the risks of the commands, dangers first and prominent.

export type ModeChoice = { mode: Mode; seconds: string };
export const defaultChoice: ModeChoice = { mode: 'safe', seconds: '120' };

/** The seconds field as the API wants it, or an error to show. */
export function applyOptions(c: ModeChoice): { options?: ApplyOptions; error?: string } {
  if (c.mode !== 'test') return { options: { mode: c.mode } };
  const n = Number(c.seconds);
  if (!Number.isInteger(n) || n < 10 || n > 3600) return { error: 'A whole number of seconds from 10 to 3600' };
  return { options: { mode: 'test', confirm_within_seconds: n } };
}

export function ModePicker(props: { id: string; value: ModeChoice; onChange: (c: ModeChoice) => void }) {
  const { value } = props;
  const seconds = applyOptions(value);
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-[13px] font-medium">How to apply</legend>
      {(['safe', 'test', 'standard'] as const).map((m) => (
        <label
          key={m}
          className={cn(
            'grid cursor-pointer grid-cols-[auto_1fr] gap-x-2 rounded-md border px-3 py-2',
            value.mode === m && 'border-ring bg-accent/40',
          )}
        >
          <input
            type="radio"
            name={`${props.id}-mode`}
            value={m}
            checked={value.mode === m}
            onChange={() => props.onChange({ ...value, mode: m })}
            aria-describedby={`${props.id}-${m}-help`}
            className="mt-0.5"
          />
          <span className="text-[13px] font-medium">
            {modeLabel[m]}
            {m === 'safe' ? <span className="font-normal text-muted-foreground"> (recommended)</span> : null}
          </span>
          <span id={`${props.id}-${m}-help`} className="col-start-2 text-xs text-muted-foreground">
            {modeHelp[m]}
          </span>
        </label>
      ))}
      {value.mode === 'test' ? (
        <Field id={`${props.id}-seconds`} label="Keep within (seconds)" error={seconds.error}>
          <Input
            id={`${props.id}-seconds`}
            inputMode="numeric"
            className="w-28"
            value={value.seconds}
            aria-invalid={seconds.error ? true : undefined}
            onChange={(e) => props.onChange({ ...value, seconds: e.target.value.trim() })}
          />
        </Field>
      ) : null}
    </fieldset>
  );
}

export function RiskList({ risks }: { risks: Risk[] }) {
  if (risks.length === 0) return null;
  const sorted = [...risks].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'danger' ? -1 : 1));
  const dangers = risks.filter((r) => r.severity === 'danger').length;
  return (
    <section
      className={cn(
        'grid gap-1.5 rounded-md border px-3 py-2',
        dangers ? 'border-destructive/40 bg-destructive/10' : 'border-warning/40 bg-warning/10',
      )}
      aria-label="Risks"
      role={dangers ? 'alert' : undefined}
    >
      <h3 className={cn('text-[13px] font-semibold', dangers && 'text-destructive')}>
        {dangers
          ? `${dangers} change${dangers === 1 ? '' : 's'} may cut off access to this router`
          : 'Changes that touch how the router is reached'}
      </h3>
      <ul className="grid gap-1 text-xs">
        {sorted.map((r) => (
          <li
            key={`${r.command_index}-${r.code}`}
            data-risk={r.severity}
            className={cn('flex items-start gap-1.5', r.severity === 'danger' && 'font-medium text-destructive')}
          >
            {r.severity === 'danger' ? (
              <OctagonAlert className="mt-px size-3.5 shrink-0" aria-hidden />
            ) : (
              <TriangleAlert className="mt-px size-3.5 shrink-0 text-warning" aria-hidden />
            )}
            <span>
              <span className="sr-only">{r.severity}: </span>
              Command {r.command_index + 1}: {r.message}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

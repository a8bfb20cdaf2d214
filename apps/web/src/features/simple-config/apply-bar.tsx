import { Eye, Loader2, Play, Rows3 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { applyOptions, type ModeChoice } from '../changes/apply-options';
import { Segmented } from '../changes/segmented';
import { modeHelp } from '../changes/words';

// The foot of a form: how to apply (Safe by default; Test with its Keep window; Standard), Preview changes, Apply,
// and the same form on many devices.

const modes = [
  ['safe', 'Safe'],
  ['test', 'Test'],
  ['standard', 'Standard'],
] as const;

export function ApplyBar(props: {
  choice: ModeChoice;
  onChoice: (c: ModeChoice) => void;
  onPreview: () => void;
  onApply: () => void;
  onMany: () => void;
  previewing: boolean;
  applying: boolean;
  /** The preview found commands that may cut TOD off: Apply says so. */
  dangerous: boolean;
  disabled: boolean;
}) {
  const { choice } = props;
  const seconds = applyOptions(choice);
  return (
    <footer className="flex flex-wrap items-start justify-between gap-4 border-t px-4 py-3">
      <div className="grid max-w-md gap-1.5">
        <span className="text-[13px] font-medium">How to apply</span>
        <Segmented
          label="How to apply"
          value={choice.mode}
          options={modes}
          onChange={(mode) => props.onChoice({ ...choice, mode })}
        />
        <p className="text-xs text-muted-foreground" data-mode-help>
          {modeHelp[choice.mode]}
        </p>
        {choice.mode === 'test' ? (
          <div className="grid gap-1">
            <label htmlFor="sc-keep-seconds" className="text-[13px] font-medium">
              Keep within (seconds)
            </label>
            <Input
              id="sc-keep-seconds"
              inputMode="numeric"
              className="w-28"
              value={choice.seconds}
              aria-invalid={seconds.error ? true : undefined}
              aria-describedby={seconds.error ? 'sc-keep-seconds-error' : undefined}
              onChange={(e) => props.onChoice({ ...choice, seconds: e.target.value.trim() })}
            />
            {seconds.error ? (
              <p id="sc-keep-seconds-error" role="alert" className="text-xs text-destructive">
                {seconds.error}
              </p>
            ) : null}
          </div>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button disabled={props.disabled} onClick={props.onMany}>
          <Rows3 aria-hidden /> Apply to many devices…
        </Button>
        <Button disabled={props.disabled || props.previewing} onClick={props.onPreview}>
          {props.previewing ? <Loader2 className="animate-spin" aria-hidden /> : <Eye aria-hidden />}
          Preview changes
        </Button>
        <Button
          variant={props.dangerous ? 'destructive' : 'primary'}
          disabled={props.disabled || props.applying || !seconds.options}
          onClick={props.onApply}
        >
          {props.applying ? <Loader2 className="animate-spin" aria-hidden /> : <Play aria-hidden />}
          Apply
        </Button>
      </div>
    </footer>
  );
}

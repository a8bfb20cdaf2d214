import { cn } from '@/lib/cn';

/** A segmented control (one choice of a few), as radios styled as buttons. */
export function Segmented<T extends string>(props: {
  label: string;
  value: T;
  options: readonly (readonly [T, string])[];
  onChange: (v: T) => void;
}) {
  return (
    <div role="radiogroup" aria-label={props.label} className="flex w-fit rounded-md border bg-card p-0.5">
      {props.options.map(([v, label]) => (
        // biome-ignore lint/a11y/useSemanticElements: a segmented control styled as buttons
        <button
          key={v}
          type="button"
          role="radio"
          aria-checked={v === props.value}
          onClick={() => props.onChange(v)}
          className={cn(
            'rounded px-2.5 py-1 text-xs font-medium text-muted-foreground hover:text-foreground',
            v === props.value && 'bg-accent text-foreground',
          )}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

import { useRef } from 'react';
import { cn } from '@/lib/cn';

// The template's text: a plain monospace textarea with a line-number gutter that scrolls with it (no editor
// library: the body is a few dozen lines). Lines the server named in an error are marked in the gutter.

export function BodyEditor(props: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  readOnly?: boolean;
  /** 1-based lines with a problem. */
  badLines?: ReadonlySet<number>;
  describedBy?: string;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const count = Math.max(1, props.value.split('\n').length);
  return (
    <div className="flex max-h-[28rem] min-h-56 overflow-hidden rounded-md border border-input bg-background focus-within:border-ring focus-within:ring-3 focus-within:ring-ring/25">
      <div
        ref={gutter}
        aria-hidden
        className="select-none overflow-hidden border-r bg-surface py-2 text-right font-mono text-[12px] leading-5 text-muted-foreground"
      >
        {Array.from({ length: count }, (_, i) => (
          <div
            // Line numbers are positions.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            key={i}
            className={cn('px-2', props.badLines?.has(i + 1) && 'bg-destructive/15 font-semibold text-destructive')}
            data-bad-line={props.badLines?.has(i + 1) ? i + 1 : undefined}
          >
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        id={props.id}
        value={props.value}
        readOnly={props.readOnly}
        onChange={(e) => props.onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        wrap="off"
        aria-describedby={props.describedBy}
        className="min-h-56 grow resize-none bg-transparent px-3 py-2 font-mono text-[12px] leading-5 outline-none"
      />
    </div>
  );
}

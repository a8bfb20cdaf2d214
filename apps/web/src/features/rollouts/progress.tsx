import type { Counts } from '@/api/rollouts';
import { cn } from '@/lib/cn';

// How far a rollout got: done, failed, reverted and skipped as parts of its devices, running after them.

const parts = [
  ['done', 'done', 'bg-success'],
  ['failed', 'failed', 'bg-destructive'],
  ['reverted', 'reverted', 'bg-warning'],
  ['skipped', 'skipped', 'bg-muted-foreground/50'],
  ['running', 'running', 'bg-info/50'],
] as const;

/** "12 of 50 done, 1 failed, 2 running" — the bar's name, so a screen reader hears what the colours say. */
export function progressText(c: Counts, total: number): string {
  return [`${c.done} of ${total} done`, ...parts.slice(1).flatMap(([k, l]) => (c[k] ? [`${c[k]} ${l}`] : []))].join(
    ', ',
  );
}

export function Progress({ counts, total, className }: { counts: Counts; total: number; className?: string }) {
  const ended = counts.done + counts.failed + counts.reverted + counts.skipped;
  const of = Math.max(1, total);
  return (
    <div className={cn('grid gap-1', className)} data-progress={`${ended}/${total}`}>
      <div
        className="flex h-1.5 overflow-hidden rounded-full bg-muted"
        role="img"
        aria-label={progressText(counts, total)}
      >
        {parts.map(([k, , cls]) =>
          counts[k] ? (
            <span
              key={k}
              className={cn('h-full transition-all', cls)}
              style={{ width: `${(100 * counts[k]) / of}%` }}
            />
          ) : null,
        )}
      </div>
      <span className="text-xs text-muted-foreground tabular-nums" aria-hidden>
        {ended}/{total}
        {counts.failed ? <span className="text-destructive"> · {counts.failed} failed</span> : null}
        {counts.reverted ? <span className="text-warning"> · {counts.reverted} reverted</span> : null}
      </span>
    </div>
  );
}

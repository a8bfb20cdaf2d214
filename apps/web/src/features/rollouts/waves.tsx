import type { Wave } from '@/api/rollouts';
import { cn } from '@/lib/cn';
import { Progress } from './progress';
import { waveStatusLabel } from './words';

// The rollout's waves as a row of steps: the canary first (when there is one), then the batches, each with how
// many of its devices are done, failed, reverted or skipped.

export const waveName = (w: Pick<Wave, 'index' | 'canary'>, hasCanary: boolean) =>
  w.canary ? 'Canary' : `Wave ${hasCanary ? w.index : w.index + 1}`;

export function Waves({ waves }: { waves: Wave[] }) {
  const hasCanary = waves.some((w) => w.canary);
  return (
    <ol className="flex gap-2 overflow-x-auto pb-1" aria-label="Waves">
      {waves.map((w) => (
        <li
          key={w.index}
          data-wave={w.index}
          data-wave-status={w.status}
          data-canary={w.canary || undefined}
          className={cn(
            'grid min-w-40 shrink-0 gap-1.5 rounded-lg border bg-card px-3 py-2 text-[13px]',
            w.status === 'running' && 'border-info/60',
            w.canary && 'border-dashed',
            w.status === 'pending' && 'bg-surface/60 text-muted-foreground',
          )}
        >
          <span className={cn('font-medium', w.canary && 'text-info')} data-wave-name>
            {waveName(w, hasCanary)}
          </span>
          <span className="text-xs text-muted-foreground">
            {w.size} {w.size === 1 ? 'device' : 'devices'} · {waveStatusLabel[w.status]}
          </span>
          <Progress counts={w.counts} total={w.size} />
        </li>
      ))}
    </ol>
  );
}

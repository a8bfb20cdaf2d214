import { cn } from '@/lib/cn';
import { type NodeTone, toneDot, toneLabel } from './words';

// What the colours and lines mean.

const tones: NodeTone[] = ['online', 'degraded', 'offline', 'unknown', 'unmanaged'];
const links: [string, string][] = [
  ['link-up', 'Wired link'],
  ['link-wireless', 'Wireless link'],
  ['link-down', 'Down'],
  ['link-stale', 'Stale'],
];

export function Legend() {
  return (
    <ul aria-label="Legend" className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted-foreground">
      {tones.map((t) => (
        <li key={t} className="flex items-center gap-1.5">
          <span aria-hidden className={cn('size-2.5 rounded-full', toneDot[t])} />
          {toneLabel[t]}
        </li>
      ))}
      {links.map(([cls, label]) => (
        <li key={cls} className="flex items-center gap-1.5">
          <svg aria-hidden width="24" height="6" viewBox="0 0 24 6">
            <line x1="0" y1="3" x2="24" y2="3" className={cn('topology-legend-link', cls)} />
          </svg>
          {label}
        </li>
      ))}
    </ul>
  );
}

import { cn } from '@/lib/cn';

export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cn('animate-shimmer rounded-md bg-muted', className)} />;
}

/** Placeholder rows while a table loads, shaped like the real thing so nothing jumps. */
export function TableSkeleton({ rows = 6, cols = 4 }: { rows?: number; cols?: number }) {
  return (
    <div role="status" aria-label="Loading" className="divide-y">
      {Array.from({ length: rows }, (_, r) => `row-${r}`).map((row) => (
        <div key={row} className="flex items-center gap-6 px-4 py-3">
          {Array.from({ length: cols }, (_, c) => `${row}-${c}`).map((cell, c) => (
            <Skeleton key={cell} className={cn('h-3.5', c === 0 ? 'w-44' : 'w-24')} />
          ))}
        </div>
      ))}
    </div>
  );
}

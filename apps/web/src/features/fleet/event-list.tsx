import { Link } from '@tanstack/react-router';
import { Activity } from 'lucide-react';
import type { FleetEvent } from '@/api/events';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/cn';
import { ago } from '@/lib/format';

const dot = { critical: 'bg-destructive', warning: 'bg-warning', info: 'bg-info' } as Record<string, string>;

/** Newest first; live events are prepended to the cached list by the stream. */
export function EventList({
  items,
  pending,
  showDevice,
}: {
  items: FleetEvent[];
  pending: boolean;
  showDevice: boolean;
}) {
  if (pending)
    return (
      <div className="grid gap-3 p-4">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} className="h-4 w-full" />
        ))}
      </div>
    );
  if (!items.length)
    return (
      <EmptyState icon={Activity} title="No events yet">
        Status changes, reboots and upgrades show here as they happen.
      </EmptyState>
    );
  return (
    <ul className="divide-y" aria-label="Events">
      {items.map((e) => (
        <li key={e.id} className="flex items-start gap-3 px-4 py-2.5 text-[13px]">
          <span
            aria-hidden
            className={cn('mt-1.5 size-2 shrink-0 rounded-full', dot[e.severity] ?? 'bg-muted-foreground')}
          />
          <span className="grid min-w-0 flex-1">
            <span className="truncate">{e.message}</span>
            <span className="truncate text-xs text-muted-foreground">
              {showDevice && e.device_id ? (
                <Link to="/devices/$deviceId" params={{ deviceId: e.device_id }} className="hover:underline">
                  {e.device_name ?? 'device'}
                </Link>
              ) : null}
              {showDevice && e.device_id ? ' · ' : null}
              <span className="sr-only">severity </span>
              {e.severity} · <code className="font-mono">{e.type}</code>
            </span>
          </span>
          <span className="shrink-0 text-xs text-muted-foreground">{ago(e.created_at)}</span>
        </li>
      ))}
    </ul>
  );
}

import type { Device } from '@/api/devices';
import { Badge } from '@/components/ui/badge';
import { cn } from '@/lib/cn';
import { reasonText } from '../fleet/format';

const tone = { online: 'success', degraded: 'warning', offline: 'danger', unknown: 'neutral' } as const;
const label = { online: 'Online', degraded: 'Degraded', offline: 'Offline', unknown: 'Unknown' } as const;

export function statusLabel(d: Pick<Device, 'status' | 'disabled'>): string {
  if (d.disabled) return 'Disabled';
  return label[d.status ?? 'unknown'];
}

/** A status pill; the reason (why offline or degraded) is its tooltip and accessible description. */
export function StatusBadge({ d, className }: { d: Device; className?: string }) {
  const s = d.status ?? 'unknown';
  const reason = d.status_reason ? (reasonText[d.status_reason] ?? d.status_reason) : undefined;
  return (
    <Badge tone={d.disabled ? 'neutral' : tone[s]} className={className} title={reason} data-status={s}>
      <span
        aria-hidden
        className={cn(
          'size-1.5 rounded-full',
          d.disabled
            ? 'bg-muted-foreground'
            : s === 'online'
              ? 'bg-success'
              : s === 'degraded'
                ? 'bg-warning'
                : s === 'offline'
                  ? 'bg-destructive'
                  : 'bg-muted-foreground',
        )}
      />
      {statusLabel(d)}
    </Badge>
  );
}

export function SimulatedBadge() {
  return (
    <Badge tone="info" title="A simulated router from the demo fleet">
      simulated
    </Badge>
  );
}

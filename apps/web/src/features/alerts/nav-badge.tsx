import { useQuery } from '@tanstack/react-query';
import { alertCountQuery } from '@/api/alerts';
import { useTenants } from '@/auth/tenant';
import { cn } from '@/lib/cn';
import { useFleetStream } from '../fleet/live';

/**
 * The number of active alerts beside "Alerts" in the sidebar, in the critical colour while any is critical. It
 * keeps the organisation's live stream open, so `alert.changed` refreshes it on every page (api/alerts.ts).
 */
export function AlertsBadge({ collapsed }: { collapsed: boolean }) {
  const { current } = useTenants();
  if (!current) return null;
  return <Count tenantId={current.id} collapsed={collapsed} />;
}

function Count({ tenantId, collapsed }: { tenantId: string; collapsed: boolean }) {
  useFleetStream(tenantId);
  const { data } = useQuery(alertCountQuery(tenantId));
  if (!data || data.active === 0) return null;
  const critical = data.by_severity.critical > 0;
  const tone = critical
    ? 'bg-destructive text-destructive-foreground'
    : 'border border-warning/30 bg-warning/10 text-warning';
  // Collapsed, the link is named "Alerts" alone: a dot, no text (an accessible name must hold the visible text).
  if (collapsed)
    return (
      <span
        aria-hidden
        data-alert-badge={data.active}
        data-critical={critical}
        className={cn('absolute top-1 right-1.5 size-2 rounded-full', critical ? 'bg-destructive' : 'bg-warning')}
      />
    );
  return (
    <span
      data-alert-badge={data.active}
      data-critical={critical}
      className={cn('ml-auto rounded-full px-1.5 text-[11px] leading-4 font-semibold tabular-nums', tone)}
    >
      {data.active}
      <span className="sr-only"> active</span>
    </span>
  );
}

import { useQuery } from '@tanstack/react-query';
import { type Alert, alertQuery, type Delivery } from '@/api/alerts';
import { Badge } from '@/components/ui/badge';
import { dateTime } from '@/lib/format';
import { formatValue } from './words';

const deliveryTone: Record<string, 'neutral' | 'success' | 'warning' | 'danger' | 'info'> = {
  sent: 'success',
  pending: 'info',
  sending: 'info',
  held: 'warning',
  failed: 'danger',
  cancelled: 'neutral',
  suppressed: 'neutral',
};

const transitionText: Record<string, string> = {
  firing: 'Fired',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  test: 'Test',
};

const holdText: Record<string, string> = {
  maintenance: 'held until the maintenance window ends',
  silenced: 'not sent: silenced',
};

/** An alert opened: who acknowledged or resolved it, the figures, and every notification it caused. */
export function AlertDetail({ tenantId, alert }: { tenantId: string; alert: Alert }) {
  const q = useQuery(alertQuery(tenantId, alert.id));
  const a = q.data ?? alert;
  return (
    <div className="grid gap-3 px-4 py-3 text-[13px]" data-alert-detail={alert.id}>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        <dt className="text-muted-foreground">Fired at</dt>
        <dd>
          {formatValue(a.value, a.unit)} on {dateTime(a.started_at)}
        </dd>
        {a.last_value !== null ? (
          <>
            <dt className="text-muted-foreground">Latest value</dt>
            <dd>{formatValue(a.last_value, a.unit)}</dd>
          </>
        ) : null}
        {a.acknowledged_at ? (
          <>
            <dt className="text-muted-foreground">Acknowledged</dt>
            <dd data-ack>
              by {a.acknowledged_by ?? 'someone'} on {dateTime(a.acknowledged_at)}
              {a.acknowledged_note ? (
                <span className="block text-muted-foreground">“{a.acknowledged_note}”</span>
              ) : null}
            </dd>
          </>
        ) : null}
        {a.resolved_at ? (
          <>
            <dt className="text-muted-foreground">Resolved</dt>
            <dd>
              {a.resolved_by === 'automatically' ? 'automatically' : `by ${a.resolved_by}`} on {dateTime(a.resolved_at)}
            </dd>
          </>
        ) : null}
      </dl>
      <Deliveries pending={q.isPending} error={q.error} deliveries={q.data?.deliveries ?? []} />
    </div>
  );
}

function Deliveries({
  pending,
  error,
  deliveries: ds,
}: {
  pending: boolean;
  error: Error | null;
  deliveries: Delivery[];
}) {
  if (pending) return <p className="text-muted-foreground">Loading notifications…</p>;
  if (error)
    return (
      <p role="alert" className="text-destructive">
        Could not load the notifications: {error.message}
      </p>
    );
  if (ds.length === 0)
    return <p className="text-muted-foreground">No notifications: no enabled channel takes this severity.</p>;
  return (
    <div className="grid gap-1.5">
      <h3 className="text-xs font-medium text-muted-foreground">Notifications</h3>
      <table className="w-full text-[13px]">
        <thead className="text-left text-xs text-muted-foreground">
          <tr>
            <th className="py-1 pr-4 font-medium">Channel</th>
            <th className="py-1 pr-4 font-medium">For</th>
            <th className="py-1 pr-4 font-medium">State</th>
            <th className="py-1 pr-4 font-medium">Attempts</th>
            <th className="py-1 font-medium">Last error</th>
          </tr>
        </thead>
        <tbody>
          {ds.map((d) => (
            <tr key={`${d.channel_id}-${d.transition}`} data-delivery={d.state}>
              <td className="py-1 pr-4 font-medium">{d.channel_name}</td>
              <td className="py-1 pr-4">{transitionText[d.transition] ?? d.transition}</td>
              <td className="py-1 pr-4">
                <Badge tone={deliveryTone[d.state] ?? 'neutral'}>{d.state}</Badge>
                {d.hold_reason ? (
                  <span className="ml-1.5 text-xs text-muted-foreground">
                    {holdText[d.hold_reason] ?? d.hold_reason}
                  </span>
                ) : null}
                {d.sent_at ? <span className="ml-1.5 text-xs text-muted-foreground">{dateTime(d.sent_at)}</span> : null}
              </td>
              <td className="py-1 pr-4 tabular-nums">{d.attempts}</td>
              <td className="py-1 text-muted-foreground">{d.last_error ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ArrowRight, Plus, Router as RouterIcon } from 'lucide-react';
import { eventsQuery } from '@/api/events';
import { type FleetSummary, summaryQuery } from '@/api/fleet';
import { useCan, useMe } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/cn';
import { ago } from '@/lib/format';
import { readSetup } from '@/lib/setup';
import { EventList } from '../fleet/event-list';
import { reasonText } from '../fleet/format';
import { useFleetStream } from '../fleet/live';

/** Fleet health at a glance, live: the stream refreshes the counts and prepends events as they happen. */
export function Dashboard() {
  const me = useMe();
  const { current } = useTenants();
  const setup = readSetup();
  if (!current) return <NoOrganisation />;
  return (
    <>
      <PageHeader title="Dashboard" description={`Fleet health for ${current.name}.`} />
      {me.role === 'super_admin' && setup.status === 'active' && setup.step > 1 ? (
        <div className="mb-5 flex items-center justify-between gap-3 rounded-lg border bg-surface px-4 py-3 text-[13px]">
          <span>Setup is not finished: you were on step {setup.step} of 3.</span>
          <Button size="sm" asChild>
            <Link to="/setup">
              Resume setup <ArrowRight aria-hidden />
            </Link>
          </Button>
        </div>
      ) : null}
      <Fleet key={current.id} tenantId={current.id} />
    </>
  );
}

function Fleet({ tenantId }: { tenantId: string }) {
  useFleetStream(tenantId);
  const canWrite = useCan('devices.write');
  const summary = useQuery(summaryQuery(tenantId));
  const events = useQuery(eventsQuery(tenantId, undefined, 12));
  const s = summary.data;
  if (summary.isPending)
    return (
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" role="status" aria-label="Loading">
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
    );
  if (s && s.counts.total === 0)
    return (
      <Card>
        <EmptyState
          icon={RouterIcon}
          title="No devices yet"
          action={
            canWrite ? (
              <Button variant="primary" asChild>
                <Link to="/devices/new">
                  <Plus aria-hidden /> Add a device
                </Link>
              </Button>
            ) : null
          }
        >
          Add your first router by address, CSV import or subnet scan; its health shows here within one poll.
        </EmptyState>
      </Card>
    );
  if (!s) return null;
  const c = s.counts;
  return (
    <div className="grid gap-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5" data-fleet-counts>
        <Tile label="Devices" value={c.total} note={c.disabled ? `${c.disabled} disabled` : 'in this organisation'} />
        <Tile label="Online" value={c.online} tone="success" />
        <Tile label="Degraded" value={c.degraded} tone="warning" />
        <Tile label="Offline" value={c.offline} tone="danger" />
        <Tile
          label="Not polled yet"
          value={c.unknown}
          note={s.updates_available ? `${s.updates_available} updates available` : undefined}
        />
      </div>
      <StatusBar c={c} />
      <div className="grid gap-4 lg:grid-cols-3">
        <Ranked title="Top CPU" items={s.top_cpu} />
        <Ranked title="Top memory" items={s.top_memory} />
        <Ranked title="Top disk" items={s.top_disk} />
      </div>
      <div className="grid gap-4 lg:grid-cols-[1fr_1fr]">
        <RecentOffline items={s.recent_offline} />
        <Versions items={s.versions} total={c.total} />
      </div>
      <Card>
        <CardHeader title="Recent events" description="Live: new events appear as they happen." />
        <EventList pending={events.isPending} items={events.data?.items ?? []} showDevice />
      </Card>
    </div>
  );
}

const toneText = { success: 'text-success', warning: 'text-warning', danger: 'text-destructive' } as const;

function Tile(props: { label: string; value: number; note?: string; tone?: keyof typeof toneText }) {
  return (
    <Card className="grid gap-1 p-4" data-tile={props.label}>
      <span className="text-xs font-medium text-muted-foreground">{props.label}</span>
      <span
        className={cn(
          'text-2xl font-semibold tracking-tight tabular-nums',
          props.value > 0 && props.tone && toneText[props.tone],
        )}
      >
        {props.value.toLocaleString()}
      </span>
      {props.note ? <span className="text-xs text-muted-foreground">{props.note}</span> : null}
    </Card>
  );
}

function StatusBar({ c }: { c: FleetSummary['counts'] }) {
  const parts = [
    ['Online', c.online, 'bg-success'],
    ['Degraded', c.degraded, 'bg-warning'],
    ['Offline', c.offline, 'bg-destructive'],
    ['Not polled yet', c.unknown, 'bg-muted-foreground/40'],
    ['Disabled', c.disabled, 'bg-muted'],
  ] as const;
  const total = Math.max(1, c.total);
  return (
    <div
      className="flex h-2 overflow-hidden rounded-full bg-muted"
      role="img"
      aria-label={parts.map(([l, n]) => `${l}: ${n}`).join(', ')}
    >
      {parts.map(([l, n, cls]) =>
        n ? (
          <span key={l} className={cn('h-full transition-all', cls)} style={{ width: `${(100 * n) / total}%` }} />
        ) : null,
      )}
    </div>
  );
}

function Ranked({ title, items }: { title: string; items: FleetSummary['top_cpu'] }) {
  return (
    <Card>
      <CardHeader title={title} />
      {items.length ? (
        <ul className="grid gap-2.5 p-4">
          {items.map((i) => (
            <li key={i.id} className="grid gap-1 text-[13px]">
              <span className="flex justify-between gap-2">
                <Link to="/devices/$deviceId" params={{ deviceId: i.id }} className="truncate hover:underline">
                  {i.name}
                </Link>
                <span className="tabular-nums">{Math.round(i.value)}%</span>
              </span>
              <span className="h-1 overflow-hidden rounded-full bg-muted" aria-hidden>
                <span
                  className={cn(
                    'block h-full',
                    i.value > 85 ? 'bg-destructive' : i.value > 60 ? 'bg-warning' : 'bg-success',
                  )}
                  style={{ width: `${Math.min(100, i.value)}%` }}
                />
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="p-4 text-[13px] text-muted-foreground">No samples yet.</p>
      )}
    </Card>
  );
}

function RecentOffline({ items }: { items: FleetSummary['recent_offline'] }) {
  return (
    <Card>
      <CardHeader title="Recently offline" />
      {items.length ? (
        <ul className="divide-y" data-recent-offline>
          {items.map((o) => (
            <li key={o.id} className="flex items-center justify-between gap-3 px-4 py-2.5 text-[13px]">
              <span className="grid min-w-0">
                <Link
                  to="/devices/$deviceId"
                  params={{ deviceId: o.id }}
                  className="truncate font-medium hover:underline"
                >
                  {o.name}
                </Link>
                <span className="truncate text-xs text-muted-foreground">
                  {o.status_reason ? (reasonText[o.status_reason] ?? o.status_reason) : 'offline'}
                </span>
              </span>
              <span className="shrink-0 text-xs text-muted-foreground">{ago(o.status_since)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="p-4 text-[13px] text-muted-foreground">Every device is reachable.</p>
      )}
    </Card>
  );
}

function Versions({ items, total }: { items: FleetSummary['versions']; total: number }) {
  return (
    <Card>
      <CardHeader title="RouterOS versions" />
      <ul className="grid gap-2 p-4" data-versions>
        {items.map((v) => (
          <li key={v.version} className="grid grid-cols-[90px_1fr_40px] items-center gap-3 text-[13px]">
            <span className="truncate tabular-nums">{v.version}</span>
            <span className="h-1.5 overflow-hidden rounded-full bg-muted" aria-hidden>
              <span className="block h-full bg-info" style={{ width: `${(100 * v.count) / Math.max(1, total)}%` }} />
            </span>
            <span className="text-right tabular-nums text-muted-foreground">{v.count}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

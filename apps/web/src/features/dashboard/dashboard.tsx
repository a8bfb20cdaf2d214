import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Activity, ArrowRight, Router as RouterIcon } from 'lucide-react';
import { api, unwrap } from '@/api/client';
import { useCan, useMe } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { ago } from '@/lib/format';
import { readSetup } from '@/lib/setup';

/**
 * Fleet health at a glance. The device counts, offline list, top resources and version spread arrive with the
 * fleet feature (devices API + SSE); until then the tiles say so and the page shows what exists.
 */
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
      <div className="grid gap-3 pb-5 sm:grid-cols-2 lg:grid-cols-4">
        <Tile label="Devices" value="0" note="Add a device to start monitoring" />
        <Tile label="Online" value="—" note="Live status arrives with the fleet feature" />
        <Tile label="Offline (24 h)" value="—" note="Live status arrives with the fleet feature" />
        <Tile label="RouterOS versions" value="—" note="Version spread arrives with the fleet feature" />
      </div>
      <div className="grid gap-5 lg:grid-cols-[1fr_360px]">
        <Card>
          <CardHeader title="Fleet health" description="Status, CPU, memory and disk across every router." />
          <EmptyState
            icon={RouterIcon}
            title="No devices yet"
            action={
              <Button variant="primary" asChild>
                <Link to="/devices">Go to devices</Link>
              </Button>
            }
          >
            Add your first router by address, CSV import or subnet scan; its health shows here within one poll.
          </EmptyState>
        </Card>
        <RecentActivity tenantId={current.id} />
      </div>
    </>
  );
}

function Tile({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <Card className="grid gap-1 p-4">
      <span className="text-xs font-medium text-muted-foreground">{label}</span>
      <span className="text-2xl font-semibold tracking-tight tabular-nums">{value}</span>
      <span className="text-xs text-muted-foreground">{note}</span>
    </Card>
  );
}

function RecentActivity({ tenantId }: { tenantId: string }) {
  const canAudit = useCan('audit.list');
  const log = useQuery({
    queryKey: ['audit', tenantId, 'recent'],
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/audit-logs', {
          params: { path: { tenant_id: tenantId }, query: { limit: 8 } },
        }),
      ),
    enabled: canAudit,
  });
  if (!canAudit) return null;
  return (
    <Card>
      <CardHeader
        title="Recent activity"
        actions={
          <Link to="/audit" className="text-xs text-muted-foreground hover:text-foreground">
            View all
          </Link>
        }
      />
      {log.isPending ? (
        <div className="grid gap-3 p-4">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} className="h-4 w-full" />
          ))}
        </div>
      ) : log.data?.items.length ? (
        <ul className="divide-y">
          {log.data.items.map((e) => (
            <li key={e.seq} className="flex items-center justify-between gap-3 px-4 py-2.5 text-[13px]">
              <span className="grid min-w-0">
                <code className="truncate font-mono text-xs">{e.action}</code>
                <span className="truncate text-xs text-muted-foreground">{e.actor_label ?? e.actor_type}</span>
              </span>
              <span className="shrink-0 text-xs text-muted-foreground">{ago(e.created_at)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState icon={Activity} title="No activity yet">
          Sign-ins and changes in this organisation appear here.
        </EmptyState>
      )}
    </Card>
  );
}

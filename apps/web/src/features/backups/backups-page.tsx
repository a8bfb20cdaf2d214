import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { DatabaseBackup } from 'lucide-react';
import { type FleetBackup, fleetBackupsQuery } from '@/api/config-backups';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago, dateTime } from '@/lib/format';
import { useFleetStream } from '../fleet/live';
import { BackupSettings } from './backup-settings';
import { ConfigSearch } from './config-search';
import { OrgSchedule } from './schedule';
import { failureText } from './words';

// The fleet's backups: each device's latest version and last outcome (failures first, with their reasons), a
// search over every latest configuration, the organisation's schedule, and (admins) retention and the git mirror.

export function BackupsPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="config.read">
      <Backups tenantId={current.id} />
    </RequirePermission>
  );
}

function Backups({ tenantId }: { tenantId: string }) {
  // Finished jobs and new versions arrive on the stream and refresh the table (api/config-backups.ts configLive).
  useFleetStream(tenantId);
  const canSettings = useCan('config.settings');
  return (
    <>
      <PageHeader
        title="Backups"
        description="Every router’s configuration, versioned: the last backup of each, failures first."
      />
      <div className="grid gap-4">
        <FleetTable tenantId={tenantId} />
        <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_360px]">
          <ConfigSearch tenantId={tenantId} />
          <OrgSchedule tenantId={tenantId} />
        </div>
        {canSettings ? <BackupSettings tenantId={tenantId} /> : null}
      </div>
    </>
  );
}

function method(d: FleetBackup) {
  if (d.method_note) return d.method_note;
  if (d.method === 'api') return 'over the API: SSH unavailable';
  return d.method === 'ssh' ? 'SSH' : '—';
}

function Outcome({ d }: { d: FleetBackup }) {
  if (d.failing)
    return (
      <span className="grid gap-0.5">
        <span className="flex items-center gap-1.5">
          <Badge tone="danger">Failing</Badge>
          <span className="text-xs text-muted-foreground">{ago(d.last_failure_at)}</span>
        </span>
        <span className="text-xs text-destructive" data-failure={d.last_error_code ?? ''}>
          {failureText(d.last_error_code, d.last_error_detail)}
        </span>
      </span>
    );
  if (d.last_success_at) return <Badge tone="success">OK</Badge>;
  return <Badge>Not backed up yet</Badge>;
}

function FleetTable({ tenantId }: { tenantId: string }) {
  const q = useInfiniteQuery(fleetBackupsQuery(tenantId));
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  const total = q.data?.pages[0]?.total ?? 0;
  return (
    <Card>
      <CardHeader
        title="Devices"
        description={q.data ? `${total} device${total === 1 ? '' : 's'}; failing backups first.` : undefined}
      />
      {q.isPending ? (
        <TableSkeleton cols={5} />
      ) : q.error ? (
        <p className="p-4 text-[13px] text-destructive" role="alert">
          Could not load the backups: {q.error.message}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={DatabaseBackup}
          title="No devices to back up"
          action={
            <Button asChild>
              <Link to="/devices">Go to devices</Link>
            </Button>
          }
        >
          Add routers on the devices page; each is backed up on the organisation’s schedule.
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Device</Th>
              <Th>Latest version</Th>
              <Th>Last success</Th>
              <Th>Status</Th>
              <Th>Method</Th>
              <Th>Next run</Th>
            </tr>
          </THead>
          <TBody>
            {rows.map((d) => (
              <tr key={d.device_id} data-backup-device={d.device_id} data-failing={d.failing || undefined}>
                <Td>
                  <Link
                    to="/devices/$deviceId/$tab"
                    params={{ deviceId: d.device_id, tab: 'backups' }}
                    className="font-medium hover:underline"
                  >
                    {d.name}
                  </Link>
                  <span className="block font-mono text-xs text-muted-foreground">{d.host}</span>
                </Td>
                <Td className="text-xs">
                  {d.latest_created_at ? (
                    <>
                      <span className="block">created {dateTime(d.latest_created_at)}</span>
                      <span className="block text-muted-foreground">
                        unchanged until {dateTime(d.latest_unchanged_until)}
                      </span>
                    </>
                  ) : (
                    <span className="text-muted-foreground">none yet</span>
                  )}
                </Td>
                <Td className="whitespace-nowrap text-muted-foreground" title={dateTime(d.last_success_at)}>
                  {ago(d.last_success_at)}
                </Td>
                <Td className="max-w-80">
                  <Outcome d={d} />
                </Td>
                <Td className="max-w-64 text-xs text-muted-foreground">{method(d)}</Td>
                <Td className="whitespace-nowrap text-muted-foreground" title={dateTime(d.next_run_at)}>
                  {d.next_run_at ? ago(d.next_run_at) : '—'}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      {q.hasNextPage ? (
        <div className="border-t p-2 text-center">
          <Button variant="ghost" size="sm" disabled={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
            Show more devices
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

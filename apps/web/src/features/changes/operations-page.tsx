import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ChevronRight, ListChecks } from 'lucide-react';
import { Fragment, useState } from 'react';
import { type OperationFilters, type OperationStatus, operationsQuery } from '@/api/changes';
import { devicesQuery } from '@/api/devices';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { cn } from '@/lib/cn';
import { dateTime } from '@/lib/format';
import { useFleetStream } from '../fleet/live';
import { OperationBody } from './operation-panel';
import { kindLabel, modeLabel, statusLabel, statusTone } from './words';

// Every change TOD made (or is making) to the organisation's routers, newest first: edits, restores and rollbacks,
// filtered by status and device, each opening to its steps and commands.

const ANY = 'any';

export function OperationsPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="changes.read">
      <Operations tenantId={current.id} />
    </RequirePermission>
  );
}

function Operations({ tenantId }: { tenantId: string }) {
  // Transitions arrive on the stream and refresh the list (api/changes.ts changesLive).
  useFleetStream(tenantId);
  const [f, setF] = useState<OperationFilters>({});
  const [open, setOpen] = useState<string | null>(null);
  const ops = useInfiniteQuery(operationsQuery(tenantId, f));
  const devices = useQuery(devicesQuery(tenantId, { fields: ['name'], sort: 'name' }));
  const names = new Map((devices.data?.items ?? []).map((d) => [d.id, d.name ?? d.id]));
  const rows = ops.data?.pages.flatMap((p) => p.items) ?? [];
  const statusOptions = [
    { value: ANY, label: 'Any status' },
    ...(Object.keys(statusLabel) as OperationStatus[]).map((s) => ({ value: s, label: statusLabel[s] })),
  ];
  const deviceOptions = [
    { value: ANY, label: 'Every device' },
    ...(devices.data?.items ?? []).map((d) => ({ value: d.id, label: d.name ?? d.id })),
  ];
  const set = (k: keyof OperationFilters, v: string) => {
    const { [k]: _, ...rest } = f;
    setF(v === ANY ? rest : { ...rest, [k]: v });
  };
  return (
    <>
      <PageHeader
        title="Operations"
        description="Every change TOD makes to a router: edits, restores and rollbacks, with how each ended."
      />
      <Card>
        <div className="grid gap-3 border-b p-3 sm:grid-cols-[220px_260px]">
          <Field id="op-status" label="Status">
            <Select
              id="op-status"
              value={f.status ?? ANY}
              onValueChange={(v) => set('status', v)}
              options={statusOptions}
            />
          </Field>
          <Field id="op-device" label="Device">
            <Select
              id="op-device"
              value={f.device_id ?? ANY}
              onValueChange={(v) => set('device_id', v)}
              options={deviceOptions}
            />
          </Field>
        </div>
        {ops.isPending ? (
          <TableSkeleton cols={5} />
        ) : ops.error ? (
          <p role="alert" className="p-4 text-[13px] text-destructive">
            Could not load the operations: {ops.error.message}
          </p>
        ) : rows.length === 0 ? (
          <EmptyState icon={ListChecks} title="No operations">
            {f.status || f.device_id
              ? 'Nothing matches these filters: widen them.'
              : 'Changes made from a device’s Config, Firewall, DHCP or Backups tab appear here.'}
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th className="w-8">
                  <span className="sr-only">Details</span>
                </Th>
                <Th className="w-44">Started</Th>
                <Th>Device</Th>
                <Th>What</Th>
                <Th>Mode</Th>
                <Th>Status</Th>
                <Th>By</Th>
              </tr>
            </THead>
            <TBody>
              {rows.map((o) => (
                <Fragment key={o.id}>
                  <tr data-operation-row={o.id} data-status={o.status}>
                    <Td className="pr-0">
                      <Button
                        size="icon-sm"
                        variant="ghost"
                        aria-expanded={open === o.id}
                        aria-label={`${open === o.id ? 'Hide' : 'Show'} the steps of ${o.summary}`}
                        onClick={() => setOpen(open === o.id ? null : o.id)}
                      >
                        <ChevronRight
                          className={cn('transition-transform', open === o.id && 'rotate-90')}
                          aria-hidden
                        />
                      </Button>
                    </Td>
                    <Td className="whitespace-nowrap text-muted-foreground tabular-nums">{dateTime(o.created_at)}</Td>
                    <Td>
                      <Link
                        to="/devices/$deviceId"
                        params={{ deviceId: o.device_id }}
                        className="font-medium hover:underline"
                      >
                        {o.device_name ?? names.get(o.device_id) ?? 'device'}
                      </Link>
                    </Td>
                    <Td>
                      <span className="text-muted-foreground">{kindLabel[o.kind] ?? o.kind}: </span>
                      {o.summary}
                    </Td>
                    <Td>{modeLabel[o.mode]}</Td>
                    <Td>
                      <Badge tone={statusTone[o.status]}>{statusLabel[o.status]}</Badge>
                    </Td>
                    <Td className="text-muted-foreground">{o.requested_by ?? '—'}</Td>
                  </tr>
                  {open === o.id ? (
                    <tr>
                      <td colSpan={7} className="bg-surface/40">
                        <OperationBody op={o} tenantId={tenantId} deviceId={o.device_id} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </TBody>
          </Table>
        )}
        {ops.hasNextPage ? (
          <div className="border-t p-2 text-center">
            <Button variant="ghost" size="sm" disabled={ops.isFetchingNextPage} onClick={() => ops.fetchNextPage()}>
              Load older operations
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}

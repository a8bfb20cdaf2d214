import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { ArrowLeft, Pencil, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { api, unwrap } from '@/api/client';
import { ApiError } from '@/api/errors';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago, dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { SimulatedBadge, StatusBadge } from '../devices/status';
import { EventList } from '../fleet/event-list';
import { bps, bytes, duration, percent, reasonText } from '../fleet/format';
import { useFleetStream } from '../fleet/live';
import { type Device, num, usedPercent } from '../fleet/model';
import { catalogQuery, deviceQuery, eventsQuery, fleetKeys } from '../fleet/queries';
import { EditDeviceDialog } from './edit-dialog';
import { HealthHistory, metricsKeys, Traffic, useLiveMetrics } from './metrics';

export function DevicePage() {
  const { current } = useTenants();
  const { deviceId } = useParams({ from: '/_app/devices/$deviceId' });
  if (!current) return <NoOrganisation />;
  return <DeviceView tenantId={current.id} deviceId={deviceId} />;
}

function DeviceView({ tenantId, deviceId }: { tenantId: string; deviceId: string }) {
  useFleetStream(tenantId);
  useLiveMetrics(tenantId, deviceId);
  const navigate = useNavigate();
  const device = useQuery(deviceQuery(tenantId, deviceId));
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const remove = useApiMutation({
    fn: () =>
      unwrap(
        api.DELETE('/api/tenants/{tenant_id}/devices/{device_id}', {
          params: { path: { tenant_id: tenantId, device_id: deviceId } },
        }),
      ),
    invalidate: [fleetKeys.devices(tenantId), ['fleet', tenantId]],
    success: () => `Deleted ${device.data?.name ?? 'the device'}`,
  });

  if (device.isPending)
    return (
      <div className="grid gap-4">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  if (device.error || !device.data)
    return (
      <Card>
        <EmptyState
          icon={ArrowLeft}
          title={device.error instanceof ApiError && device.error.status === 404 ? 'No such device' : 'Could not load'}
          action={
            <Button asChild>
              <Link to="/devices">Back to devices</Link>
            </Button>
          }
        >
          {device.error instanceof ApiError && device.error.status === 404
            ? 'It was deleted, or belongs to another organisation.'
            : String(device.error?.message ?? '')}
        </EmptyState>
      </Card>
    );
  const d = device.data;
  const p = d.policies ?? {};
  return (
    <>
      <Link
        to="/devices"
        className="mb-2 inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-3.5" aria-hidden /> Devices
      </Link>
      <PageHeader
        title={d.name ?? 'Device'}
        description={[d.host, d.model, d.version && `RouterOS ${d.version}`].filter(Boolean).join(' · ')}
        actions={
          <>
            {p['devices.write'] ? (
              <Button onClick={() => setEditing(true)}>
                <Pencil aria-hidden /> Edit
              </Button>
            ) : null}
            {p['devices.delete'] ? (
              <Button variant="destructive" onClick={() => setDeleting(true)}>
                <Trash2 aria-hidden /> Delete
              </Button>
            ) : null}
          </>
        }
      />
      <div className="mb-4 flex flex-wrap items-center gap-2 text-[13px]" data-device-status={d.status}>
        <StatusBadge d={d} />
        {d.is_demo ? <SimulatedBadge /> : null}
        {d.status_reason ? (
          <span className="text-muted-foreground">{reasonText[d.status_reason] ?? d.status_reason}</span>
        ) : null}
        <span className="text-muted-foreground">· last seen {ago(d.last_seen_at)}</span>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Overview d={d} tenantId={tenantId} />
        <Resources d={d} />
      </div>
      <div className="mt-4 grid gap-4">
        <Interfaces tenantId={tenantId} deviceId={deviceId} />
        <HealthHistory tenantId={tenantId} deviceId={deviceId} />
        <DeviceEvents tenantId={tenantId} deviceId={deviceId} />
      </div>
      {editing ? <EditDeviceDialog tenantId={tenantId} device={d} onClose={() => setEditing(false)} /> : null}
      <Confirm
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete ${d.name}?`}
        description="Its settings, metrics and events are removed. This cannot be undone."
        confirm="Delete device"
        busy={remove.isPending}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate({ to: '/devices' }) })}
      />
    </>
  );
}

function Facts({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[140px_1fr] gap-x-4 gap-y-2 p-4 text-[13px]">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-muted-foreground">{k}</dt>
          <dd className="min-w-0 truncate">{v ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

function Overview({ d, tenantId }: { d: Device; tenantId: string }) {
  const sites = useQuery(catalogQuery(tenantId, 'sites'));
  const site = sites.data?.find((s) => s.id === d.site_id)?.name;
  return (
    <Card>
      <CardHeader title="Overview" />
      <Facts
        rows={[
          ['Identity', d.identity],
          ['Model', d.model ?? d.board_name],
          ['Serial number', d.serial_number],
          [
            'RouterOS',
            d.version
              ? `${d.version}${d.latest_version && d.latest_version !== d.version ? ` (${d.latest_version} available)` : ''}`
              : null,
          ],
          ['Firmware', d.firmware],
          ['Architecture', d.architecture],
          [
            'Address',
            <span
              key="a"
              className="font-mono text-xs"
            >{`${d.host}:${d.port} / TLS ${d.tls_port} (${d.tls_mode})`}</span>,
          ],
          ['Connection', d.transport],
          ['Site', site],
          ['Added', dateTime(d.created_at)],
        ]}
      />
    </Card>
  );
}

function Meter({ label, value, detail }: { label: string; value: number | null; detail?: string }) {
  const v = value === null ? 0 : Math.max(0, Math.min(100, value));
  return (
    <div className="grid gap-1.5">
      <div className="flex items-baseline justify-between text-[13px]">
        <span className="text-muted-foreground">{label}</span>
        <span className="tabular-nums">
          <span className="font-medium" data-meter={label}>
            {percent(value)}
          </span>
          {detail ? <span className="ml-1.5 text-xs text-muted-foreground">{detail}</span> : null}
        </span>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: <meter> cannot be styled consistently across browsers */}
      <div
        className="h-1.5 overflow-hidden rounded-full bg-muted"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value === null ? undefined : Math.round(v)}
      >
        <div
          className={
            v > 85
              ? 'h-full bg-destructive transition-all'
              : v > 60
                ? 'h-full bg-warning transition-all'
                : 'h-full bg-success transition-all'
          }
          style={{ width: `${v}%` }}
        />
      </div>
    </div>
  );
}

/** Live values: the device query is patched by each poll result from the stream. */
function Resources({ d }: { d: Device }) {
  const memUsed = usedPercent(d.memory_total, d.memory_free);
  const diskUsed = usedPercent(d.disk_total, d.disk_free);
  const memTotal = num(d.memory_total);
  const diskTotal = num(d.disk_total);
  const temp = num(d.temperature);
  const volt = num(d.voltage);
  return (
    <Card>
      <CardHeader title="Resources" description="Live: updated with every poll." />
      <div className="grid gap-4 p-4">
        <Meter label="CPU" value={num(d.cpu_load)} detail={d.cpu_count ? `${d.cpu_count} cores` : undefined} />
        <Meter label="Memory" value={memUsed} detail={memTotal ? `of ${bytes(memTotal)}` : undefined} />
        <Meter label="Disk" value={diskUsed} detail={diskTotal ? `of ${bytes(diskTotal)}` : undefined} />
        <div className="grid grid-cols-3 gap-3 border-t pt-3 text-[13px]">
          <span className="grid">
            <span className="text-xs text-muted-foreground">Uptime</span>
            <span className="tabular-nums" data-uptime>
              {duration(num(d.uptime_seconds))}
            </span>
          </span>
          <span className="grid">
            <span className="text-xs text-muted-foreground">Temperature</span>
            <span className="tabular-nums">{temp === null ? '—' : `${temp} °C`}</span>
          </span>
          <span className="grid">
            <span className="text-xs text-muted-foreground">Voltage</span>
            <span className="tabular-nums">{volt === null ? '—' : `${volt} V`}</span>
          </span>
        </div>
      </div>
    </Card>
  );
}

function Interfaces({ tenantId, deviceId }: { tenantId: string; deviceId: string }) {
  const q = useQuery({
    queryKey: metricsKeys.interfaces(tenantId, deviceId),
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/devices/{device_id}/interfaces', {
          params: { path: { tenant_id: tenantId, device_id: deviceId } },
        }),
      ),
  });
  const items = q.data?.items ?? [];
  return (
    <>
      <Traffic tenantId={tenantId} deviceId={deviceId} interfaces={items} />
      <Card>
        <CardHeader title="Interfaces" description="Latest counters and rates per interface." />
        {q.isPending ? (
          <Skeleton className="m-4 h-20" />
        ) : items.length === 0 ? (
          <p className="p-4 text-[13px] text-muted-foreground">
            No interfaces reported yet: they arrive with the first poll.
          </p>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Type</Th>
                <Th>State</Th>
                <Th className="text-right">Rx</Th>
                <Th className="text-right">Tx</Th>
                <Th>MAC</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((i) => (
                <tr key={i.name} data-interface={i.name}>
                  <Td className="font-mono text-xs">{i.name}</Td>
                  <Td className="text-muted-foreground">{i.type ?? '—'}</Td>
                  <Td>{i.disabled ? 'disabled' : i.running ? 'running' : 'down'}</Td>
                  <Td className="text-right tabular-nums" data-rx>
                    {bps(i.rx_bps)}
                  </Td>
                  <Td className="text-right tabular-nums">{bps(i.tx_bps)}</Td>
                  <Td className="font-mono text-xs text-muted-foreground">{i.mac_address ?? '—'}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}

function DeviceEvents({ tenantId, deviceId }: { tenantId: string; deviceId: string }) {
  const q = useQuery(eventsQuery(tenantId, deviceId, 20));
  return (
    <Card>
      <CardHeader title="Events" description="Status changes, reboots, version changes." />
      <EventList pending={q.isPending} items={q.data?.items ?? []} showDevice={false} />
    </Card>
  );
}

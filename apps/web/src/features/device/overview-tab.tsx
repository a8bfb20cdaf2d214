import { useQuery } from '@tanstack/react-query';
import type { Device } from '@/api/devices';
import { eventsQuery } from '@/api/events';
import { inventoryQuery } from '@/api/inventory';
import { Card, CardHeader } from '@/components/ui/card';
import { dateTime } from '@/lib/format';
import type { DeviceTabProps } from '../feature';
import { EventList } from '../fleet/event-list';
import { bytes, duration, percent } from '../fleet/format';
import { num, usedPercent } from '../fleet/model';
import { HealthHistory } from './metrics';

/** The device tab: facts, live resources, resources over time, recent events. */
export default function OverviewTab({ tenantId, deviceId, device }: DeviceTabProps) {
  return (
    <>
      <div className="grid gap-4 lg:grid-cols-2">
        <Overview d={device} tenantId={tenantId} />
        <Resources d={device} />
      </div>
      <div className="mt-4 grid gap-4">
        <HealthHistory tenantId={tenantId} deviceId={deviceId} />
        <DeviceEvents tenantId={tenantId} deviceId={deviceId} />
      </div>
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
  const sites = useQuery(inventoryQuery(tenantId, 'sites'));
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

function DeviceEvents({ tenantId, deviceId }: { tenantId: string; deviceId: string }) {
  const q = useQuery(eventsQuery(tenantId, deviceId, 20));
  return (
    <Card>
      <CardHeader title="Events" description="Status changes, reboots, version changes." />
      <EventList pending={q.isPending} items={q.data?.items ?? []} showDevice={false} />
    </Card>
  );
}

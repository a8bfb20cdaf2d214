import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { type DeviceInterface, healthQuery, metricsKeys, type Range, ranges, trafficQuery } from '@/api/metrics';
import { Card, CardHeader } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/cn';
import { bps, percent } from '../fleet/format';
import { onDeviceState } from '../fleet/live';
import type { ChartSeries } from './chart';

// uPlot and its CSS load with the first chart, not with the page (and never with the first page of the app).
const Chart = lazy(() => import('./chart'));

/** Each poll of this device refreshes its charts and interface list (one device: cheap, and live). */
export function useLiveMetrics(tenantId: string, deviceId: string) {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onDeviceState((s) => {
        if (s.deviceId !== deviceId) return;
        void queryClient.invalidateQueries({ queryKey: metricsKeys.all(tenantId, deviceId) });
      }),
    [queryClient, tenantId, deviceId],
  );
}

export function RangePicker({ value, onChange }: { value: Range; onChange: (r: Range) => void }) {
  return (
    <div role="radiogroup" aria-label="Time range" className="flex rounded-md border p-0.5">
      {ranges.map((r) => (
        // biome-ignore lint/a11y/useSemanticElements: a segmented control styled as buttons
        <button
          key={r}
          type="button"
          role="radio"
          aria-checked={r === value}
          onClick={() => onChange(r)}
          className={cn(
            'rounded px-2 py-0.5 text-xs font-medium text-muted-foreground hover:text-foreground',
            r === value && 'bg-accent text-foreground',
          )}
        >
          {r}
        </button>
      ))}
    </div>
  );
}

function ChartSlot(props: {
  pending: boolean;
  data: (number | null)[][] | null;
  series: ChartSeries[];
  yRange?: [number, number];
  xRange?: [number, number];
  label: string;
  empty: string;
}) {
  if (props.pending) return <Skeleton className="h-[180px] w-full" />;
  if (!props.data || (props.data[0]?.length ?? 0) === 0)
    return <p className="grid h-[180px] place-items-center text-[13px] text-muted-foreground">{props.empty}</p>;
  return (
    <Suspense fallback={<Skeleton className="h-[180px] w-full" />}>
      <Chart data={props.data} series={props.series} yRange={props.yRange} xRange={props.xRange} label={props.label} />
    </Suspense>
  );
}

function span(d?: { from: string; to: string }): [number, number] | undefined {
  return d ? [Date.parse(d.from) / 1000, Date.parse(d.to) / 1000] : undefined;
}

const pct = (v: number | null) => percent(v);
const healthSeries: ChartSeries[] = [
  { label: 'CPU', color: '#8b5cf6', format: pct },
  { label: 'Memory', color: '#f59e0b', format: pct },
  { label: 'Disk', color: '#0ea5e9', format: pct },
];
const PCT_RANGE: [number, number] = [0, 100];

export function HealthHistory({ tenantId, deviceId }: { tenantId: string; deviceId: string }) {
  const [range, setRange] = useState<Range>('1h');
  const q = useQuery(healthQuery(tenantId, deviceId, range));
  const data = useMemo(() => {
    const s = q.data?.series;
    if (!s?.t) return null;
    const used = (total?: (number | null)[], free?: (number | null)[]) =>
      s.t!.map((_, i) => {
        const t = total?.[i];
        const f = free?.[i];
        return t && f !== null && f !== undefined ? (100 * (t - f)) / t : null;
      });
    return [s.t, s.cpu ?? s.t.map(() => null), used(s.mem_total, s.mem_free), used(s.disk_total, s.disk_free)];
  }, [q.data]);
  return (
    <Card>
      <CardHeader
        title="Resources over time"
        description={q.data ? `Resolution: ${q.data.resolution}` : undefined}
        actions={<RangePicker value={range} onChange={setRange} />}
      />
      <div className="p-3">
        <ChartSlot
          pending={q.isPending}
          data={data}
          series={healthSeries}
          yRange={PCT_RANGE}
          xRange={span(q.data)}
          label={`CPU, memory and disk use over the last ${range}`}
          empty="No samples in this range yet: they arrive with each poll."
        />
      </div>
    </Card>
  );
}

const trafficSeries: ChartSeries[] = [
  { label: 'Rx', color: '#3b82f6', format: bps },
  { label: 'Tx', color: '#10b981', format: bps },
];

export function Traffic(props: { tenantId: string; deviceId: string; interfaces: DeviceInterface[] }) {
  const [range, setRange] = useState<Range>('1h');
  const [picked, setPicked] = useState<string | null>(null);
  const iface = picked ?? props.interfaces.find((i) => i.running)?.name ?? props.interfaces[0]?.name ?? null;
  const q = useQuery(trafficQuery(props.tenantId, props.deviceId, range, iface));
  const data = useMemo(() => {
    const s = q.data?.interfaces.find((i) => i.name === iface)?.series;
    if (!s?.t) return null;
    return [s.t, s.rx_bps ?? [], s.tx_bps ?? []];
  }, [q.data, iface]);
  return (
    <Card>
      <CardHeader
        title="Traffic"
        description={iface ? `Interface ${iface}` : 'No interfaces reported yet'}
        actions={<RangePicker value={range} onChange={setRange} />}
      />
      {props.interfaces.length ? (
        <div className="flex flex-wrap gap-1 border-b px-3 py-2" role="radiogroup" aria-label="Interface">
          {props.interfaces.map((i) => (
            // biome-ignore lint/a11y/useSemanticElements: chips styled as buttons
            <button
              key={i.name}
              type="button"
              role="radio"
              aria-checked={i.name === iface}
              onClick={() => setPicked(i.name)}
              className={cn(
                'rounded-md border px-2 py-0.5 font-mono text-xs text-muted-foreground hover:text-foreground',
                i.name === iface && 'border-foreground/40 bg-accent text-foreground',
              )}
            >
              {i.name}
            </button>
          ))}
        </div>
      ) : null}
      <div className="p-3" data-traffic-chart>
        <ChartSlot
          pending={iface !== null && q.isPending}
          data={data}
          series={trafficSeries}
          xRange={span(q.data)}
          label={`Traffic on ${iface ?? 'no interface'} over the last ${range}`}
          empty="No traffic samples yet: rates need two polls."
        />
      </div>
    </Card>
  );
}

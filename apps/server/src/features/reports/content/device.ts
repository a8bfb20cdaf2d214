import { eventsRepo } from '../../events/events.repo.js';
import { pickWindow } from '../../metrics/resolution.js';
import { availability } from './availability.js';
import { deviceQueries } from './device.queries.js';
import type { Block, ChartSeries, ReportDoc } from './model.js';
import type { KindContext } from './types.js';

// Device health: the hardware, trends of its resources and traffic as charts (from the metrics service, at the
// resolution the metrics API would pick for the period: hourly rollups beyond 3 days), its interfaces, events and
// alerts over the period.

type Series = Record<string, Array<number | null> | undefined>;
const TRAFFIC_CHARTS = 4;
const EVENTS = 500;

const used = (total: number | null | undefined, free: number | null | undefined) =>
  total && free != null ? (100 * (total - free)) / total : null;

function points(s: Series, value: (i: number) => number | null): Array<[number, number | null]> {
  return (s.t ?? []).map((t, i) => [t as number, value(i)]);
}

const hasData = (list: ChartSeries[]) => list.some((s) => s.points.some((p) => p[1] !== null));

export async function deviceReport(k: KindContext): Promise<ReportDoc> {
  const { from, to } = k.params;
  const id = k.devices[0]!.id;
  const w = pickWindow({ from: from.toISOString(), to: to.toISOString() });
  const data = await k.inTenant(async (db) => ({
    device: (await deviceQueries.device(db, id))!,
    interfaces: await deviceQueries.interfaces(db, id, w.from, w.to, w.resolution),
    alerts: await deviceQueries.alerts(db, id, from, to),
    events: await eventsRepo.list(db, {
      device_id: id,
      from: from.toISOString(),
      to: to.toISOString(),
      limit: EVENTS,
    }),
    avail: await availability(db, k.scope, [id], from, to, k.now),
  }));
  const health = (await k.deps.metrics.health(k.actor, id, w)).series as Series;
  const d = data.device;
  const a = data.avail.byDevice.get(id);

  // Traffic charts for the busiest interfaces over the period.
  const busiest = [...data.interfaces]
    .filter((i) => i.rx_avg !== null || i.tx_avg !== null)
    .sort((x, y) => (y.rx_avg ?? 0) + (y.tx_avg ?? 0) - ((x.rx_avg ?? 0) + (x.tx_avg ?? 0)))
    .slice(0, TRAFFIC_CHARTS)
    .map((i) => i.name);
  const traffic = busiest.length
    ? (await k.deps.metrics.interfaces(k.actor, id, w, busiest)).interfaces
    : ([] as Array<{ name: string; series: Series }>);

  const cpu: ChartSeries[] = [{ name: 'CPU load (average)', points: points(health, (i) => health.cpu?.[i] ?? null) }];
  if (health.cpu_max) cpu.push({ name: 'CPU load (peak)', points: points(health, (i) => health.cpu_max?.[i] ?? null) });
  const memory: ChartSeries[] = [
    { name: 'Memory used', points: points(health, (i) => used(health.mem_total?.[i], health.mem_free?.[i])) },
    { name: 'Disk used', points: points(health, (i) => used(health.disk_total?.[i], health.disk_free?.[i])) },
  ];
  const temperature: ChartSeries[] = [
    { name: 'Temperature', points: points(health, (i) => health.temperature?.[i] ?? null) },
  ];
  const voltage: ChartSeries[] = [{ name: 'Voltage', points: points(health, (i) => health.voltage?.[i] ?? null) }];

  const blocks: Block[] = [
    {
      type: 'facts',
      title: 'Hardware and software',
      facts: [
        { label: 'Model', value: d.model },
        { label: 'Board', value: d.board_name },
        { label: 'Serial number', value: d.serial_number },
        { label: 'Architecture', value: d.architecture },
        { label: 'RouterOS', value: d.version },
        { label: 'Firmware', value: d.firmware },
        { label: 'Identity', value: d.identity },
        { label: 'Address', value: d.host },
        { label: 'Site', value: d.site_name },
        { label: 'Uptime (last poll)', value: d.uptime_seconds, kind: 'duration' },
        { label: 'CPU load (last poll)', value: d.cpu_load, kind: 'pct' },
        { label: 'CPU cores', value: d.cpu_count, kind: 'int' },
        { label: 'Memory', value: d.memory_total, kind: 'bytes' },
        { label: 'Memory used', value: used(d.memory_total, d.memory_free), kind: 'pct' },
        { label: 'Disk', value: d.disk_total, kind: 'bytes' },
        { label: 'Disk used', value: used(d.disk_total, d.disk_free), kind: 'pct' },
        { label: 'Temperature', value: d.temperature, kind: 'celsius' },
        { label: 'Voltage', value: d.voltage, kind: 'volt' },
        { label: 'Status', value: d.status },
        { label: 'Status since', value: d.status_since, kind: 'time' },
        { label: 'Last seen', value: d.last_seen_at, kind: 'time' },
      ],
    },
    {
      type: 'facts',
      title: 'Availability',
      facts: [
        { label: 'Availability', value: a?.pct ?? null, kind: 'pct' },
        { label: 'Downtime', value: a?.down ?? 0, kind: 'duration' },
        { label: 'Outages', value: a?.downtimes.length ?? 0, kind: 'int' },
        { label: 'Maintenance excluded', value: a?.maintenance ?? 0, kind: 'duration' },
      ],
    },
    { type: 'heading', text: 'Resource trends' },
    { type: 'line-chart', title: 'CPU load', unit: '%', yMin: 0, yMax: 100, series: cpu },
    { type: 'line-chart', title: 'Memory and disk used', unit: '%', yMin: 0, yMax: 100, series: memory },
  ];
  // Temperature and voltage only where the device reports them.
  if (hasData(temperature)) blocks.push({ type: 'line-chart', title: 'Temperature', unit: '°C', series: temperature });
  if (hasData(voltage)) blocks.push({ type: 'line-chart', title: 'Voltage', unit: 'V', series: voltage });
  for (const i of traffic) {
    const s = i.series as Series;
    blocks.push({
      type: 'line-chart',
      title: `Traffic on ${i.name}`,
      unit: 'bit/s',
      kind: 'bps',
      yMin: 0,
      series: [
        { name: 'Received', points: points(s, (n) => s.rx_bps?.[n] ?? null) },
        { name: 'Sent', points: points(s, (n) => s.tx_bps?.[n] ?? null) },
      ],
    });
  }
  blocks.push(
    { type: 'heading', text: 'Interfaces' },
    {
      type: 'table',
      title: 'Interfaces',
      columns: [
        { header: 'Name', width: 1.6 },
        { header: 'Type', width: 0.9 },
        { header: 'MAC address', width: 1.5 },
        { header: 'Running', width: 0.8 },
        { header: 'Rx average', kind: 'bps', width: 1.1 },
        { header: 'Rx peak', kind: 'bps', width: 1.1 },
        { header: 'Tx average', kind: 'bps', width: 1.1 },
        { header: 'Tx peak', kind: 'bps', width: 1.1 },
      ],
      rows: data.interfaces.map((i) => [
        i.name,
        i.type,
        i.mac_address,
        i.disabled ? 'disabled' : i.running,
        i.rx_avg,
        i.rx_max,
        i.tx_avg,
        i.tx_max,
      ]),
    },
    { type: 'heading', text: 'Events and alerts' },
    {
      type: 'table',
      title: 'Alerts',
      columns: [
        { header: 'Rule', width: 2.2 },
        { header: 'Severity', width: 0.9 },
        { header: 'Target', width: 1 },
        { header: 'Started', kind: 'time', width: 1.3 },
        { header: 'Resolved', kind: 'time', width: 1.3 },
        { header: 'Value', kind: 'number', width: 0.8 },
      ],
      rows: data.alerts.map((x) => [x.rule_name, x.severity, x.target || null, x.started_at, x.resolved_at, x.value]),
    },
    {
      type: 'table',
      title: 'Events',
      columns: [
        { header: 'Time', kind: 'time', width: 1.3 },
        { header: 'Severity', width: 0.8 },
        { header: 'Type', width: 1.6 },
        { header: 'Message', width: 4 },
      ],
      rows: data.events.map((e) => [e.created_at, e.severity, e.type, e.message]),
      ...(data.events.length === EVENTS ? { note: `The newest ${EVENTS} events of the period.` } : {}),
    },
  );
  return {
    title: 'Device health',
    subtitle: [`Device: ${d.name} (${d.host})`],
    blocks,
    summary: { device_id: id, device: d.name, availability_pct: a?.pct ?? null, alerts: data.alerts.length },
  };
}

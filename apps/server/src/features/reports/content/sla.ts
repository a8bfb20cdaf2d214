import { availability, combined, type DeviceAvailability } from './availability.js';
import { formatPct } from './format.js';
import type { Block, Cell, ReportDoc } from './model.js';
import type { KindContext } from './types.js';

// SLA: availability per device, per site and for the organisation against a target, with every downtime interval.
// The rules of availability (what counts as down, what is not counted, maintenance windows) are in availability.ts.

export const DEFAULT_TARGET = 99.9;
const verdict = (pct: number | null, target: number) => (pct === null ? 'no data' : pct >= target ? 'met' : 'missed');

export async function slaReport(k: KindContext): Promise<ReportDoc> {
  const { from, to } = k.params;
  const target = k.params.targetPct ?? DEFAULT_TARGET;
  const devices = k.devices.filter((d) => !d.disabled);
  const { byDevice, until } = await k.inTenant((db) =>
    availability(
      db,
      k.scope,
      devices.map((d) => d.id),
      from,
      to,
      k.now,
    ),
  );
  const of = (id: string): DeviceAvailability | undefined => byDevice.get(id);
  const org = combined(devices.map((d) => of(d.id)));

  const sites = new Map<string, { name: string; ids: string[] }>();
  for (const d of devices) {
    const key = d.site_id ?? '';
    if (!sites.has(key)) sites.set(key, { name: d.site_name ?? 'No site', ids: [] });
    sites.get(key)!.ids.push(d.id);
  }
  const siteRows = [...sites.values()]
    .map((s) => ({ ...s, ...combined(s.ids.map(of)) }))
    .sort((a, b) => (a.pct ?? 101) - (b.pct ?? 101) || a.name.localeCompare(b.name));
  const deviceRows = devices
    .map((d) => ({ d, a: of(d.id) }))
    .sort((x, y) => (x.a?.pct ?? 101) - (y.a?.pct ?? 101) || x.d.name.localeCompare(y.d.name));
  const missed = deviceRows.filter((r) => r.a?.pct != null && r.a.pct < target);
  const maintenance = deviceRows.reduce((n, r) => n + (r.a?.maintenance ?? 0), 0);
  const downtimes: Cell[][] = deviceRows.flatMap(({ d, a }) =>
    (a?.downtimes ?? []).map((t) => [d.name, d.site_name, t.start, t.ongoing ? 'ongoing' : t.end, t.counted]),
  );

  const blocks: Block[] = [
    {
      type: 'facts',
      title: 'Organisation',
      facts: [
        { label: 'Target', value: target, kind: 'pct' },
        { label: 'Availability', value: org.pct, kind: 'pct' },
        { label: 'Target met', value: verdict(org.pct, target) },
        { label: 'Devices', value: devices.length, kind: 'int' },
        { label: 'Devices below target', value: missed.length, kind: 'int' },
        { label: 'Downtime (all devices)', value: org.down, kind: 'duration' },
        { label: 'Downtime intervals', value: downtimes.length, kind: 'int' },
        { label: 'Maintenance excluded', value: maintenance, kind: 'duration' },
      ],
    },
    {
      type: 'text',
      text:
        `Availability is the share of monitored time a device answered (online or degraded), measured from the ` +
        `status changes TOD recorded, up to ${until < to ? 'now' : 'the end of the period'}. Time before TOD first ` +
        `reached a device is not counted; time inside a maintenance window covering the device is excluded. ` +
        `Disabled devices are left out.`,
    },
    { type: 'heading', text: 'Sites' },
    {
      type: 'bar-chart',
      title: 'Availability by site',
      min: Math.min(Math.floor(Math.min(target, ...siteRows.map((s) => s.pct ?? 100)) / 5) * 5 - 5, 95),
      target,
      bars: siteRows.map((s) => ({ label: s.name, value: s.pct })),
    },
    {
      type: 'table',
      title: 'Availability by site',
      columns: [
        { header: 'Site', width: 3 },
        { header: 'Devices', kind: 'int' },
        { header: 'Availability', kind: 'pct', width: 1.2 },
        { header: 'Downtime', kind: 'duration', width: 1.2 },
        { header: 'Target' },
      ],
      rows: siteRows.map((s) => [s.name, s.ids.length, s.pct, s.down, verdict(s.pct, target)]),
    },
    { type: 'heading', text: 'Devices' },
    {
      type: 'bar-chart',
      title: 'Least available devices',
      min: Math.min(
        Math.floor(Math.min(target, ...deviceRows.slice(0, 15).map((r) => r.a?.pct ?? 100)) / 5) * 5 - 5,
        95,
      ),
      target,
      bars: deviceRows.slice(0, 15).map((r) => ({ label: r.d.name, value: r.a?.pct ?? null })),
    },
    {
      type: 'table',
      title: 'Availability by device',
      columns: [
        { header: 'Device', width: 2.4 },
        { header: 'Site', width: 1.8 },
        { header: 'Availability', kind: 'pct', width: 1.2 },
        { header: 'Downtime', kind: 'duration', width: 1.2 },
        { header: 'Outages', kind: 'int', width: 0.8 },
        { header: 'Target', width: 0.9 },
      ],
      rows: deviceRows.map(({ d, a }) => [
        d.name,
        d.site_name,
        a?.pct ?? null,
        a?.down ?? 0,
        a?.downtimes.length ?? 0,
        verdict(a?.pct ?? null, target),
      ]),
    },
    {
      type: 'table',
      title: 'Downtime intervals',
      columns: [
        { header: 'Device', width: 2.2 },
        { header: 'Site', width: 1.6 },
        { header: 'Down from', kind: 'time', width: 1.5 },
        { header: 'Until', kind: 'time', width: 1.5 },
        { header: 'Counted', kind: 'duration', width: 1.2 },
      ],
      rows: downtimes,
      empty: 'No downtime in this period.',
      note: 'Counted: the downtime outside maintenance windows, within the period.',
    },
  ];
  return {
    title: 'SLA report',
    subtitle: [`Target: ${formatPct(target)}`, ...(k.siteName ? [`Site: ${k.siteName}`] : [])],
    blocks,
    summary: {
      target_pct: target,
      availability_pct: org.pct,
      met: org.pct === null ? null : org.pct >= target,
      devices: devices.length,
      devices_missed: missed.length,
      downtime_seconds: Math.round(org.down),
    },
  };
}

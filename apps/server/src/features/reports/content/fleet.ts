import { compareVersions } from '../../firmware/versions.js';
import { availability, combined } from './availability.js';
import { fleetQueries } from './fleet.queries.js';
import type { Block, ReportDoc } from './model.js';
import type { KindContext } from './types.js';

// Fleet summary: what the fleet is (status, models, RouterOS versions), how available it was, what alerted most,
// and what happened to configurations (backups, changes) over the period.

const STATUS_ORDER = ['online', 'degraded', 'offline', 'unknown', 'disabled'];
const DAY = 86_400_000;

export async function fleetReport(k: KindContext): Promise<ReportDoc> {
  const { from, to } = k.params;
  const site = k.scope.siteId;
  const long = to.getTime() - from.getTime() > 31 * DAY;
  const data = await k.inTenant(async (db) => {
    const avail = await availability(
      db,
      k.scope,
      k.devices.map((d) => d.id),
      from,
      to,
      k.now,
    );
    return {
      avail,
      counts: await fleetQueries.counts(db, site),
      alerts: await fleetQueries.topAlerts(db, from, to, avail.until, site),
      activity: await fleetQueries.activity(db, from, to, site),
      failures: await fleetQueries.backupFailures(db, from, to, site),
      trend: await fleetQueries.trend(db, from, to, site, long ? '1 day' : '1 hour'),
      busiest: await fleetQueries.busiest(db, from, to, site),
    };
  });
  const { avail, counts, activity: act } = data;
  // Disabled devices are not polled: their last status says nothing about the period (as in the SLA report).
  const enabled = new Set(k.devices.filter((d) => !d.disabled).map((d) => d.id));
  const measured = [...avail.byDevice].filter(([id]) => enabled.has(id));
  const fleet = combined(measured.map(([, a]) => a));
  const total = k.devices.length;
  const statuses = [...counts.status].sort((a, b) => STATUS_ORDER.indexOf(a.key) - STATUS_ORDER.indexOf(b.key));
  const versions = [...counts.version].sort((a, b) => compareVersions(b.key, a.key) || a.key.localeCompare(b.key));
  const models = [...counts.model].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const share = (n: number) => (total ? (100 * n) / total : 0);
  /** Devices counted by one property: count and share of the fleet. */
  const countTable = (title: string, header: string, list: Array<{ key: string; count: number }>): Block => ({
    type: 'table',
    title,
    columns: [
      { header, width: 3 },
      { header: 'Devices', kind: 'int' },
      { header: 'Share', kind: 'pct' },
    ],
    rows: list.map((s) => [s.key, s.count, share(s.count)]),
  });
  const names = new Map(k.devices.map((d) => [d.id, d.name]));
  const worst = measured
    .filter(([, a]) => a.pct !== null)
    .sort((a, b) => (a[1].pct as number) - (b[1].pct as number) || a[1].down - b[1].down)
    .slice(0, 10);

  const blocks: Block[] = [
    {
      type: 'facts',
      title: 'Overview',
      facts: [
        { label: 'Devices', value: total, kind: 'int' },
        { label: 'Fleet availability', value: fleet.pct, kind: 'pct' },
        { label: 'Online now', value: statuses.find((s) => s.key === 'online')?.count ?? 0, kind: 'int' },
        { label: 'Downtime (all devices)', value: fleet.down, kind: 'duration' },
        { label: 'Offline now', value: statuses.find((s) => s.key === 'offline')?.count ?? 0, kind: 'int' },
        { label: 'Alerts raised', value: data.alerts.reduce((n, a) => n + a.alerts, 0), kind: 'int' },
        { label: 'Backups succeeded', value: act.backups_ok ?? 0, kind: 'int' },
        { label: 'Backups failed', value: act.backups_failed ?? 0, kind: 'int' },
        { label: 'Devices backed up', value: act.devices_backed_up ?? 0, kind: 'int' },
        { label: 'New config versions', value: act.versions ?? 0, kind: 'int' },
        { label: 'Safe changes confirmed', value: act.changes_confirmed ?? 0, kind: 'int' },
        { label: 'Safe changes reverted', value: act.changes_reverted ?? 0, kind: 'int' },
        { label: 'Safe changes failed', value: act.changes_failed ?? 0, kind: 'int' },
        { label: 'Out-of-band changes seen', value: act.out_of_band ?? 0, kind: 'int' },
      ],
    },
    { type: 'heading', text: 'Inventory' },
    countTable('Devices by status (now)', 'Status', statuses),
    countTable('Devices by RouterOS version', 'Version', versions),
    countTable('Devices by model', 'Model', models),
    { type: 'heading', text: 'Availability' },
    {
      type: 'text',
      text:
        'Availability is the share of monitored time a device answered (online or degraded). Time before TOD first ' +
        'reached a device and time inside maintenance windows are not counted; disabled devices are left out.',
    },
    {
      type: 'bar-chart',
      title: 'Least available devices',
      min: Math.max(0, Math.floor(Math.min(100, ...worst.map(([, a]) => a.pct as number)) / 10) * 10 - 10),
      bars: worst.map(([id, a]) => ({ label: names.get(id) ?? id, value: a.pct })),
    },
    {
      type: 'line-chart',
      title: `Fleet resource use (${long ? 'daily' : 'hourly'} average)`,
      unit: '%',
      yMin: 0,
      yMax: 100,
      series: [
        { name: 'CPU load', points: data.trend.map((r) => [r.t, r.cpu]) },
        { name: 'Memory used', points: data.trend.map((r) => [r.t, r.mem]) },
      ],
    },
    {
      type: 'table',
      title: 'Busiest devices (average CPU load)',
      columns: [
        { header: 'Device', width: 3 },
        { header: 'CPU average', kind: 'pct' },
        { header: 'CPU peak', kind: 'pct' },
        { header: 'Memory used', kind: 'pct' },
      ],
      rows: data.busiest.map((b) => [b.name, b.cpu_avg, b.cpu_max, b.mem_avg]),
      empty: 'No metrics collected in this period.',
    },
    { type: 'heading', text: 'Alerts' },
    {
      type: 'table',
      title: 'Top alerts (most frequent, then longest)',
      columns: [
        { header: 'Rule', width: 3 },
        { header: 'Severity' },
        { header: 'Alerts', kind: 'int' },
        { header: 'Devices', kind: 'int' },
        { header: 'Firing time', kind: 'duration', width: 1.3 },
        { header: 'Longest', kind: 'duration', width: 1.3 },
      ],
      rows: data.alerts.map((a) => [a.rule_name, a.severity, a.alerts, a.devices, a.firing, a.longest]),
    },
    { type: 'heading', text: 'Backups and changes' },
    {
      type: 'table',
      title: 'Backup failures',
      columns: [
        { header: 'Device', width: 2 },
        { header: 'Failures', kind: 'int', width: 0.8 },
        { header: 'Last failure', kind: 'time', width: 1.3 },
        { header: 'Last error', width: 3 },
      ],
      rows: data.failures.map((f) => [f.name, f.failures, f.last_at, f.error]),
      empty: 'No backup failed in this period.',
    },
  ];
  return {
    title: 'Fleet summary',
    subtitle: k.siteName ? [`Site: ${k.siteName}`] : [],
    blocks,
    summary: {
      devices: total,
      availability_pct: fleet.pct,
      downtime_seconds: Math.round(fleet.down),
      backups_failed: act.backups_failed ?? 0,
      alerts: data.alerts.reduce((n, a) => n + a.alerts, 0),
    },
  };
}

import type { PollResult } from '../poller/types.js';
import { siteMetricNames, siteMetrics } from './site-metrics.js';

// What a rule can watch, and how each value is read from a poll result. A metric gives one value per target: ''
// for the device, an interface name for per-interface metrics. No data (an offline device has no CPU figure, the
// wireless table comes every few polls) gives no value: the rule's state is left as it was, neither breach nor clear.

export type MetricScope = 'device' | 'interface';
export type Sample = { target: string; value: number };
export type MetricDef = {
  label: string;
  unit: string | null;
  scope: MetricScope;
  /** Values from one poll result; `linkSpeedBps` is the rule's figure for links of unknown speed. */
  read: (r: PollResult, opts: { linkSpeedBps: number | null }) => Sample[] | null;
};

const device = (v: number | null | undefined): Sample[] | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : [{ target: '', value: v }];

const pct = (free: number | null | undefined, total: number | null | undefined) =>
  free == null || total == null || total <= 0 ? null : Math.round(((total - free) / total) * 1000) / 10;

const hasEvent = (r: PollResult, type: string) => (r.events.some((e) => e.type === type) ? 1 : 0);

const online = (r: PollResult) => r.status !== 'offline';

function perInterface(r: PollResult, value: (i: NonNullable<PollResult['interfaces']>[number]) => number | null) {
  if (!r.interfaces) return null;
  const out: Sample[] = [];
  for (const i of r.interfaces) {
    if (i.disabled) continue;
    const v = value(i);
    if (v !== null && Number.isFinite(v)) out.push({ target: i.name, value: v });
  }
  return out;
}

type Registration = Record<string, string>;
const registrations = (r: PollResult): Registration[] | null =>
  Array.isArray(r.facts.wireless) ? (r.facts.wireless as Registration[]) : null;

/** The worst (lowest) figure per wireless interface: one weak client is what an operator needs to hear about. */
function wirelessWorst(r: PollResult, read: (reg: Registration) => number | null): Sample[] | null {
  const regs = registrations(r);
  if (!regs) return null;
  const worst = new Map<string, number>();
  for (const reg of regs) {
    const v = read(reg);
    if (v === null || !Number.isFinite(v)) continue;
    const k = reg.interface ?? '';
    worst.set(k, Math.min(worst.get(k) ?? v, v));
  }
  return [...worst].map(([target, value]) => ({ target, value }));
}

/** `-67dBm@HT20-7` (v6), `-67` (v7) → -67. */
const dbm = (s: string | undefined) => {
  const m = s === undefined ? null : /^(-?\d+(?:\.\d+)?)/.exec(s);
  return m ? Number(m[1]) : null;
};

export const metrics: Record<string, MetricDef> = {
  device_offline: {
    label: 'Device offline',
    unit: null,
    scope: 'device',
    read: (r) => [{ target: '', value: r.status === 'offline' ? 1 : 0 }],
  },
  cpu_load: { label: 'CPU load', unit: '%', scope: 'device', read: (r) => device(r.health?.cpuLoad) },
  memory_used_pct: {
    label: 'Memory used',
    unit: '%',
    scope: 'device',
    read: (r) => device(pct(r.health?.memoryFree, r.health?.memoryTotal)),
  },
  disk_used_pct: {
    label: 'Storage used',
    unit: '%',
    scope: 'device',
    read: (r) => device(pct(r.health?.diskFree, r.health?.diskTotal)),
  },
  temperature: { label: 'Temperature', unit: '°C', scope: 'device', read: (r) => device(r.health?.temperature) },
  voltage: { label: 'Voltage', unit: 'V', scope: 'device', read: (r) => device(r.health?.voltage) },
  uptime_seconds: { label: 'Uptime', unit: 's', scope: 'device', read: (r) => device(r.health?.uptimeSeconds) },
  rebooted: {
    label: 'Rebooted',
    unit: null,
    scope: 'device',
    read: (r) => (online(r) ? [{ target: '', value: hasEvent(r, 'device.rebooted') }] : null),
  },
  config_changed: {
    label: 'Configuration changed',
    unit: null,
    scope: 'device',
    read: (r) => (online(r) ? [{ target: '', value: hasEvent(r, 'device.config_changed') }] : null),
  },
  interface_rx_bps: {
    label: 'Interface receive',
    unit: 'bps',
    scope: 'interface',
    read: (r) => perInterface(r, (i) => i.rxBps),
  },
  interface_tx_bps: {
    label: 'Interface transmit',
    unit: 'bps',
    scope: 'interface',
    read: (r) => perInterface(r, (i) => i.txBps),
  },
  interface_util_pct: {
    label: 'Interface utilisation (of link speed)',
    unit: '%',
    scope: 'interface',
    read: (r, { linkSpeedBps }) =>
      perInterface(r, (i) => {
        const speed = i.linkSpeedBps ?? linkSpeedBps;
        if (!speed || i.rxBps === null || i.txBps === null) return null;
        return Math.round((Math.max(i.rxBps, i.txBps) / speed) * 1000) / 10;
      }),
  },
  interface_errors: {
    label: 'Interface errors per second',
    unit: '/s',
    scope: 'interface',
    read: (r) =>
      perInterface(r, (i) =>
        i.rxErrorsPs == null && i.txErrorsPs == null ? null : (i.rxErrorsPs ?? 0) + (i.txErrorsPs ?? 0),
      ),
  },
  link_down: {
    label: 'Link down',
    unit: null,
    scope: 'interface',
    read: (r) => perInterface(r, (i) => (i.running === null ? null : i.running ? 0 : 1)),
  },
  wireless_signal: {
    label: 'Wireless signal (weakest client)',
    unit: 'dBm',
    scope: 'interface',
    read: (r) => wirelessWorst(r, (reg) => dbm(reg['signal-strength'] ?? reg.signal)),
  },
  wireless_ccq: {
    label: 'Wireless CCQ (worst client)',
    unit: '%',
    scope: 'interface',
    read: (r) => wirelessWorst(r, (reg) => (reg['tx-ccq'] === undefined ? null : Number(reg['tx-ccq']))),
  },
  wireless_clients: {
    label: 'Wireless clients',
    unit: null,
    scope: 'interface',
    read: (r) => {
      const regs = registrations(r);
      if (!regs) return null;
      const n = new Map<string, number>();
      for (const reg of regs) n.set(reg.interface ?? '', (n.get(reg.interface ?? '') ?? 0) + 1);
      return [...n].map(([target, value]) => ({ target, value }));
    },
  },
};

export const metricNames = Object.keys(metrics) as [string, ...string[]];

/** Every metric a rule may name: the device metrics above and the site metrics (site-metrics.ts). */
export const allMetricNames = [...metricNames, ...siteMetricNames] as [string, ...string[]];

/** Label and unit of any metric, device or site. */
export function metricInfo(metric: string): { label: string; unit: string | null } | undefined {
  if (Object.hasOwn(metrics, metric)) return metrics[metric];
  if (Object.hasOwn(siteMetrics, metric)) return siteMetrics[metric as keyof typeof siteMetrics];
  return undefined;
}

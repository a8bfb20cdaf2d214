// Live state computed from elapsed time on every read (no timers per device, so a fleet of 10,000 costs nothing
// while idle): resource usage, health sensors, interface counters and link state, wireless, DHCP leases.
import type { Row } from './query.js';
import { formatDateTime, formatDuration, unit } from './values.js';

const U64 = 1n << 64n;
const U32 = 1n << 32n;

/** The build time v7 devices report (`/system/resource` `build-time`, and in their neighbour announcements). */
export const BUILD_TIME_V7 = '2024-09-20 13:00:27';

export interface LiveContext {
  key: string;
  v7: boolean;
  version: string;
  now: number;
  bootAt: number;
  boardName: string;
  model: string;
  serial: string;
  architecture: string;
  totalMemory: number;
  totalHdd: number;
  /** Free space before the device's own files (DeviceSpec.freeHdd); default: a share of totalHdd. */
  freeHdd?: number;
  /** Bytes the device's files take (`/file`): free space shrinks as backups and exports are written. */
  filesBytes?: number;
  bps: number;
  /** TrafficOptions.interfaceBps: mean bits per second of named interfaces instead of their share of `bps`. */
  interfaceBps?: Record<string, number>;
  /** TrafficOptions.linkRates: the rate named ethernet ports negotiate (`100Mbps`); default by board and port. */
  linkRates?: Record<string, string>;
  counterStart: bigint;
  linkedPorts: number;
  linkFlapPeriodMs: number;
  /** Device.load: a CPU load (%) and board temperature (°C) set at run time; absent = the idle wobble. */
  cpuLoad?: number;
  temperature?: number;
}

/** A smooth wobble in [0, 1) for `key` at time `t`: slow sine plus a per-10-second stable jitter. */
function wobble(key: string, t: number, periodMs: number): number {
  const phase = unit(key) * Math.PI * 2;
  const slow = (Math.sin((t / periodMs) * Math.PI * 2 + phase) + 1) / 2;
  const jitter = unit(`${key}:${Math.floor(t / 10_000)}`);
  return slow * 0.8 + jitter * 0.2;
}

export function uptimeMs(c: LiveContext): number {
  return c.now - c.bootAt;
}

/** Free storage now: the free space before files, minus what the files take. */
export function freeHddSpace(c: LiveContext): number {
  // Small flash (16 MB) is nearly full on real devices; larger NAND/disk mostly free.
  const base =
    c.freeHdd ??
    Math.floor(
      c.totalHdd *
        (c.totalHdd >= 64 * 1024 * 1024 ? 0.55 + unit(`${c.key}:hdd`) * 0.35 : 0.08 + unit(`${c.key}:hdd`) * 0.05),
    );
  return Math.max(0, base - (c.filesBytes ?? 0));
}

export function resourceRow(c: LiveContext): Row {
  const upS = Math.floor(uptimeMs(c) / 1000);
  const cpuLoad = c.cpuLoad ?? Math.round(2 + wobble(`${c.key}:cpu`, c.now, 600_000) * 25);
  const usedMem = 0.3 + wobble(`${c.key}:mem`, c.now, 3_600_000) * 0.25;
  const row: Row = {
    uptime: formatDuration(upS * 1000),
    version: `${c.version} (stable)`,
    'build-time': c.v7 ? BUILD_TIME_V7 : 'Sep/20/2021 13:00:27',
    'factory-software': '6.44',
    'free-memory': String(Math.floor(c.totalMemory * (1 - usedMem))),
    'total-memory': String(c.totalMemory),
    cpu: c.architecture === 'arm64' ? 'ARM64' : c.architecture === 'arm' ? 'ARM' : 'MIPS',
    'cpu-count': c.architecture.startsWith('arm') ? '4' : '1',
    'cpu-frequency': c.architecture.startsWith('arm') ? '672' : '650',
    'cpu-load': String(cpuLoad),
    'free-hdd-space': String(freeHddSpace(c)),
    'total-hdd-space': String(c.totalHdd),
    'write-sect-since-reboot': String(1000 + Math.floor(upS / 60)),
    'write-sect-total': String(40_000 + Math.floor(unit(`${c.key}:ws`) * 10_000) + Math.floor(upS / 60)),
    'architecture-name': c.architecture,
    'board-name': c.boardName,
    platform: 'MikroTik',
  };
  if (!c.v7) row['bad-blocks'] = '0';
  return row;
}

/** v6: one flat item; v7: one item per sensor with name/value/type. */
export function healthRows(c: LiveContext): Row[] {
  const temp = (c.temperature ?? 35 + wobble(`${c.key}:temp`, c.now, 1_800_000) * 15).toFixed(0);
  const volt = (23.5 + wobble(`${c.key}:volt`, c.now, 900_000) * 1.2).toFixed(1);
  if (!c.v7) return [{ voltage: volt, temperature: temp }];
  return [
    { '.id': '*D', name: 'voltage', value: volt, type: 'V' },
    { '.id': '*E', name: 'temperature', value: temp, type: 'C' },
  ];
}

export function routerboardRow(c: LiveContext): Row {
  const fw = c.v7 ? c.version : c.version;
  return {
    routerboard: 'true',
    'board-name': c.boardName,
    model: c.model,
    'serial-number': c.serial,
    'firmware-type': 'ipq4000L',
    'factory-firmware': '6.44',
    'current-firmware': fw,
    'upgrade-firmware': c.version,
  };
}

export interface InterfaceLiveInput {
  name: string;
  type: string;
  disabled: boolean;
  /** Position among ethernet ports (ether1 → 0); undefined for virtual interfaces (always running). */
  port?: number;
  /** The port's link in the fleet's world (a cable, an attached node, a radio link), when it has one. */
  physical?: { running: boolean; downs: number; upSince: number };
}

function wrap(n: bigint, v7: boolean, is32: boolean): bigint {
  return n % (is32 && !v7 ? U32 : U64);
}

/** Running flag, link-downs and last link-up for an interface at `c.now`. */
export function linkState(c: LiveContext, i: InterfaceLiveInput): { running: boolean; downs: number; upSince: number } {
  const up = uptimeMs(c);
  if (i.disabled) return { running: false, downs: 0, upSince: 0 };
  // A port the world links follows its cable or radio; others: ether1..linkedPorts lead to unmodelled equipment.
  const physical = i.physical ?? {
    running: i.port === undefined || i.port < c.linkedPorts,
    downs: 0,
    upSince: c.bootAt,
  };
  if (!physical.running) return { running: false, downs: physical.downs, upSince: 0 };
  const period = c.linkFlapPeriodMs;
  if (period <= 0) return physical;
  // Each period: up for 90 %, down for 10 %, phase-shifted per interface so a fleet does not flap in step.
  const offset = Math.floor(unit(`${c.key}:${i.name}:flap`) * period);
  const t = up + offset;
  const inCycle = t % period;
  const running = inCycle < period * 0.9;
  const downs = physical.downs + Math.floor((t + period * 0.1) / period) - Math.floor((offset + period * 0.1) / period);
  const upSince = running ? Math.max(physical.upSince, c.now - inCycle) : 0;
  return { running, downs, upSince };
}

/** Mean receive rate of a running interface: the spec's figure for it, else a stable share of the device's `bps`. */
function meanBps(c: LiveContext, name: string): number {
  return c.interfaceBps?.[name] ?? c.bps * (0.25 + unit(`${c.key}:${name}:share`) * 1.5);
}

/** Byte/packet counters that grow with traffic since boot (they reset on reboot, as on RouterOS). */
export function interfaceCounters(c: LiveContext, i: InterfaceLiveInput, running: boolean): Row {
  const activeMs = running || i.port === undefined ? uptimeMs(c) : 0;
  const rxBytes = BigInt(Math.floor((meanBps(c, i.name) / 8) * (activeMs / 1000)));
  const txBytes = rxBytes / 8n + BigInt(Math.floor(activeMs / 10));
  const start = i.disabled ? 0n : c.counterStart;
  const rx = wrap(start + rxBytes, true, false);
  const tx = wrap(start + txBytes, true, false);
  const rxPackets = (start + rxBytes) / 900n;
  const txPackets = (start + txBytes) / 300n;
  return {
    'rx-byte': String(rx),
    'tx-byte': String(tx),
    'rx-packet': String(wrap(rxPackets, true, false)),
    'tx-packet': String(wrap(txPackets, true, false)),
    'rx-drop': '0',
    'tx-drop': '0',
    'tx-queue-drop': '0',
    'rx-error': '0',
    'tx-error': '0',
    'fp-rx-byte': String(rx),
    'fp-tx-byte': '0',
    'fp-rx-packet': String(wrap(rxPackets, true, false)),
    'fp-tx-packet': '0',
  };
}

/** Current rates for `/interface/monitor-traffic`. */
export function trafficRates(c: LiveContext, name: string, running: boolean): Row {
  const rx = running ? Math.floor(meanBps(c, name) * (0.7 + wobble(`${c.key}:${name}:rx`, c.now, 60_000) * 0.6)) : 0;
  const tx = Math.floor(rx / 8);
  return {
    name,
    'rx-packets-per-second': String(Math.floor(rx / 8 / 900)),
    'rx-bits-per-second': String(rx),
    'fp-rx-packets-per-second': String(Math.floor(rx / 8 / 900)),
    'fp-rx-bits-per-second': String(rx),
    'rx-drops-per-second': '0',
    'rx-errors-per-second': '0',
    'tx-packets-per-second': String(Math.floor(tx / 8 / 300)),
    'tx-bits-per-second': String(tx),
    'fp-tx-packets-per-second': '0',
    'fp-tx-bits-per-second': '0',
    'tx-drops-per-second': '0',
    'tx-queue-drops-per-second': '0',
    'tx-errors-per-second': '0',
  };
}

const RATES = ['6Mbps', '585Mbps-80MHz/2S/SGI', '866.6Mbps-80MHz/2S/SGI', '780Mbps-80MHz/2S/SGI', '144.4Mbps-20MHz/2S'];

/** Live fields of a wireless registration (field names as RouterOS 7.16 `registration-table`). */
export function registrationLive(c: LiveContext, key: string, connectedAt: number): Row {
  const k = `${c.key}:${key}`;
  const signal = -50 - Math.round(wobble(`${k}:sig`, c.now, 300_000) * 25);
  const since = Math.max(0, c.now - Math.max(connectedAt, c.bootAt));
  const rate = 200_000 + unit(`${k}:rate`) * 4_000_000;
  const rxB = BigInt(Math.floor((rate / 8) * (since / 1000)));
  const txB = rxB / 3n;
  const is32 = !c.v7;
  const pair = (a: bigint, b: bigint) => `${wrap(a, c.v7, is32)},${wrap(b, c.v7, is32)}`;
  return {
    uptime: formatDuration(Math.floor(since / 1000) * 1000),
    'last-activity': formatDuration(10 + Math.floor(unit(`${k}:${Math.floor(c.now / 1000)}`) * 4000)),
    'signal-strength': `${signal}@6Mbps`,
    'signal-strength-ch0': String(signal - 2),
    'signal-strength-ch1': String(signal - 8),
    'signal-to-noise': String(signal + 107),
    'strength-at-rates': `${signal}@6Mbps 3s300ms,${signal}@24Mbps 1s530ms`,
    'tx-ccq': String(70 + Math.round(wobble(`${k}:ccq`, c.now, 120_000) * 29)),
    'tx-rate': RATES[Math.floor(unit(`${k}:tx`) * RATES.length)] as string,
    'rx-rate': RATES[Math.floor(unit(`${k}:rx`) * RATES.length)] as string,
    'p-throughput': String(Math.floor(rate / 1000) * 3),
    bytes: pair(rxB, txB),
    'frame-bytes': pair(rxB + rxB / 100n, txB + txB / 100n),
    'hw-frame-bytes': pair(rxB + rxB / 20n, txB + txB / 20n),
    packets: pair(rxB / 900n, txB / 500n),
    frames: pair(rxB / 1300n, txB / 800n),
    'hw-frames': pair(rxB / 1100n, txB / 700n),
    'tx-frames-timed-out': '0',
  };
}

/** Live fields of a DHCP lease: bound, expiring and renewing on a 30-minute lease time. */
export function leaseLive(c: LiveContext, key: string, address: string, mac: string, server: string): Row {
  const leaseMs = 1_800_000;
  const offset = Math.floor(unit(`${c.key}:${key}:lease`) * leaseMs);
  const age = (uptimeMs(c) + offset) % leaseMs;
  return {
    status: 'bound',
    'active-address': address,
    'active-mac-address': mac,
    'active-client-id': `1:${mac.toLowerCase()}`,
    'active-server': server,
    'expires-after': formatDuration(Math.floor((leaseMs - age) / 1000) * 1000),
    'last-seen': formatDuration(Math.floor(Math.min(age, 600_000) / 1000) * 1000),
  };
}

export function clockRow(now: number, iso: boolean): Row {
  const d = new Date(now);
  const [date, time] = formatDateTime(d, iso).split(' ') as [string, string];
  return {
    time,
    date,
    'time-zone-autodetect': 'true',
    'time-zone-name': 'UTC',
    'gmt-offset': '+00:00',
    'dst-active': 'false',
  };
}

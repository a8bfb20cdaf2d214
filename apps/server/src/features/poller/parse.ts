import { parseBool, parseDuration, type Row } from '@tod/routeros';
import type { HealthSample, InterfaceSample } from './types.js';

// Turning RouterOS rows into samples. Field names as RouterOS prints them (checked against shared fixtures).

function num(v: string | undefined): number | null {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export type Resource = {
  health: Pick<HealthSample, 'cpuLoad' | 'memoryFree' | 'memoryTotal' | 'diskFree' | 'diskTotal' | 'uptimeSeconds'>;
  version: string | null;
  boardName: string | null;
  architecture: string | null;
  cpuCount: number | null;
};

/** `/system/resource/print`: one row. `version` is "7.16 (stable)" → "7.16". */
export function parseResource(row: Row | undefined): Resource {
  const r = row ?? {};
  const upMs = r.uptime !== undefined ? parseDuration(r.uptime) : undefined;
  return {
    health: {
      cpuLoad: num(r['cpu-load']),
      memoryFree: num(r['free-memory']),
      memoryTotal: num(r['total-memory']),
      diskFree: num(r['free-hdd-space']),
      diskTotal: num(r['total-hdd-space']),
      uptimeSeconds: upMs === undefined ? null : Math.floor(upMs / 1000),
    },
    version: r.version?.split(' ')[0] || null,
    boardName: r['board-name'] ?? null,
    architecture: r['architecture-name'] ?? null,
    cpuCount: num(r['cpu-count']),
  };
}

const TEMPERATURE_NAMES = ['temperature', 'cpu-temperature', 'board-temperature1', 'sfp-temperature'];

/**
 * `/system/health/print`. RouterOS 6 prints one flat row (`voltage=24.1 temperature=40`); RouterOS 7 prints one row
 * per sensor (`name=voltage value=24.1 type=V`). Devices without sensors (CHR, x86) print nothing.
 */
export function parseHealth(rows: Row[]): { temperature: number | null; voltage: number | null } {
  const values = new Map<string, string>();
  for (const r of rows) {
    if (r.name !== undefined && r.value !== undefined) values.set(r.name, r.value);
    else for (const [k, v] of Object.entries(r)) if (!k.startsWith('.')) values.set(k, v);
  }
  let temperature: number | null = null;
  for (const n of TEMPERATURE_NAMES) {
    temperature = num(values.get(n));
    if (temperature !== null) break;
  }
  return { temperature, voltage: num(values.get('voltage')) };
}

export const INTERFACE_PROPLIST = [
  'name',
  'type',
  'mac-address',
  'running',
  'disabled',
  'rx-byte',
  'tx-byte',
  'rx-packet',
  'tx-packet',
  'rx-error',
  'tx-error',
];

const COUNTER = /^\d{1,20}$/;

/** `/interface/print` rows → samples without rates (see rates.ts). */
export function parseInterfaces(rows: Row[]): InterfaceSample[] {
  const out: InterfaceSample[] = [];
  for (const r of rows) {
    if (!r.name) continue;
    const counter = (v: string | undefined) => (v !== undefined && COUNTER.test(v) ? v : null);
    out.push({
      name: r.name,
      type: r.type ?? null,
      macAddress: r['mac-address'] || null,
      running: r.running === undefined ? null : (parseBool(r.running) ?? null),
      disabled: r.disabled === undefined ? null : (parseBool(r.disabled) ?? null),
      rxBytes: counter(r['rx-byte']),
      txBytes: counter(r['tx-byte']),
      rxPackets: counter(r['rx-packet']),
      txPackets: counter(r['tx-packet']),
      rxErrors: counter(r['rx-error']),
      txErrors: counter(r['tx-error']),
      rxBps: null,
      txBps: null,
      rxPps: null,
      txPps: null,
    });
  }
  return out;
}

/**
 * `/interface/ethernet/monitor`'s `rate` in bits per second: `100Mbps` → 1e8, `1Gbps` → 1e9, `2.5Gbps` → 2.5e9.
 * Anything else (`unknown`, absent: a port without link) → null.
 */
export function parseLinkRate(rate: string | undefined): number | null {
  const m = rate === undefined ? null : /^(\d{1,4}(?:\.\d{1,3})?)([MG])bps$/.exec(rate);
  if (!m) return null;
  const bps = Math.round(Number(m[1]) * (m[2] === 'G' ? 1e9 : 1e6));
  return bps > 0 ? bps : null;
}

/** Monitor rows → rate by port name; a port without link (`no-link`) has none. */
export function parseLinkRates(rows: Row[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const r of rows) {
    if (!r.name) continue;
    out.set(r.name, r.status === 'link-ok' ? parseLinkRate(r.rate) : null);
  }
  return out;
}

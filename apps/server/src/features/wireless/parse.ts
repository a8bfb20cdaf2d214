import { parseBitrate, parseDuration, parseSignal } from '@tod/routeros';
import { normalizeMac, portOf } from '../topology/observe.js';

// Registration tables and radios as routers report them (facts `wireless`, `wireless_interfaces`, `wireless_rf`
// from poller/links.ts), read into numbers. Field names differ by package: v6 `wireless` (`signal-strength`
// `-62@6Mbps`, `signal-to-noise`, `tx-ccq`, `ap`), v7 `wifi` (`signal` `-62`, no CCQ or SNR), CAPsMAN (v6
// `/caps-man/registration-table`: `rx-signal`). Anything unreadable is null, never a guess.

export type Registration = {
  interface: string;
  mac: string;
  /** 'ap' when the remote is the AP this router is connected to (the router is a station). */
  role: 'client' | 'ap';
  ssid: string | null;
  signal: number | null;
  snr: number | null;
  tx_ccq: number | null;
  rx_ccq: number | null;
  tx_rate: string | null;
  rx_rate: string | null;
  tx_rate_mbps: number | null;
  rx_rate_mbps: number | null;
  uptime_seconds: number | null;
  last_ip: string | null;
  radio_name: string | null;
  routeros_version: string | null;
  band: string | null;
};

export type Radio = {
  name: string;
  mode: string | null;
  ssid: string | null;
  frequency: string | null;
  band: string | null;
  channel_width: string | null;
  mac: string | null;
  running: boolean | null;
  disabled: boolean | null;
  noise_floor: number | null;
  ccq: number | null;
  clients: number | null;
  tx_rate: string | null;
  rx_rate: string | null;
  status: string | null;
};

type Row = Record<string, unknown>;

const str = (v: unknown, max = 100): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : null;

/** A leading number (`-62@6Mbps`, `-62`, `85%`, `-104dBm`) within [min, max], else null. */
export function leadingNumber(v: unknown, min: number, max: number): number | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)/.exec(typeof v === 'string' ? v : '');
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

/** `585Mbps-80MHz/2S/SGI`, `6Mbps`, `1.2Gbps-160MHz/2S` → Mbit/s (one decimal). */
export function rateMbps(v: string | null): number | null {
  const bps = v === null ? undefined : parseBitrate(v);
  return bps === undefined || bps > 1e11 ? null : Math.round(bps / 1e5) / 10;
}

const bool = (v: unknown) => (v === 'true' || v === 'yes' ? true : v === 'false' || v === 'no' ? false : null);

const STATION = /^station/;

/** v6 `signal-strength` (`-62@6Mbps`), v7 `signal` (`-62`), CAPsMAN `rx-signal`; a believable dBm or null. */
function signalOf(row: Row): number | null {
  const v = str(row['signal-strength']) ?? str(row.signal) ?? str(row['rx-signal']);
  const s = parseSignal(v ?? undefined)?.signal;
  return s !== undefined && s >= -150 && s <= 20 ? s : null;
}

/** Radios (settings merged with their monitor snapshot), by name. */
export function radiosOf(facts: Record<string, unknown>): Radio[] {
  const rows = (v: unknown): Row[] =>
    Array.isArray(v) ? v.filter((r): r is Row => typeof r === 'object' && r !== null) : [];
  const rf = new Map(rows(facts.wireless_rf).map((r) => [str(r.name), r]));
  const out: Radio[] = [];
  for (const r of rows(facts.wireless_interfaces).slice(0, 64)) {
    const name = str(r.name);
    if (!name) continue;
    const m = rf.get(name) ?? {};
    out.push({
      name,
      mode: str(r.mode) ?? str(r['configuration.mode']),
      ssid: str(r.ssid) ?? str(r['configuration.ssid']),
      frequency: str(m.frequency) ?? str(m.channel) ?? str(r.frequency) ?? str(r['channel.frequency']),
      band: str(m.band) ?? str(r.band) ?? str(r['channel.band']),
      channel_width: str(m['channel-width']) ?? str(r['channel-width']) ?? str(r['channel.width']),
      mac: normalizeMac(r['mac-address']),
      running: bool(r.running),
      disabled: bool(r.disabled),
      noise_floor: leadingNumber(m['noise-floor'], -150, 0),
      ccq: leadingNumber(m['overall-tx-ccq'] ?? m['tx-ccq'], 0, 100),
      clients: leadingNumber(m['registered-clients'] ?? m['registered-peers'], 0, 100_000),
      tx_rate: str(m['tx-rate']),
      rx_rate: str(m['rx-rate']),
      status: str(m.status),
    });
  }
  return out;
}

/**
 * Registrations of a result. A row is the AP this router is connected to when the router says so (v6 `ap=true`) or
 * its radio is in a station mode; otherwise a client of this router's radio.
 */
export function registrationsOf(facts: Record<string, unknown>, radios: readonly Radio[]): Registration[] {
  if (!Array.isArray(facts.wireless)) return [];
  const stationRadios = new Set(radios.filter((r) => r.mode !== null && STATION.test(r.mode)).map((r) => r.name));
  const seen = new Map<string, Registration>();
  for (const r of facts.wireless.slice(0, 2000) as unknown[]) {
    if (typeof r !== 'object' || r === null) continue;
    const row = r as Row;
    const iface = portOf(row.interface);
    const mac = normalizeMac(row['mac-address']);
    if (!iface || !mac) continue;
    const ap = bool(row.ap) === true || stationRadios.has(iface);
    const txRate = str(row['tx-rate']);
    const rxRate = str(row['rx-rate']);
    const uptime = parseDuration(str(row.uptime) ?? undefined);
    seen.set(`${iface}|${mac}`, {
      interface: iface,
      mac,
      role: ap ? 'ap' : 'client',
      ssid: str(row.ssid),
      signal: signalOf(row),
      snr: leadingNumber(row['signal-to-noise'], -20, 120),
      tx_ccq: leadingNumber(row['tx-ccq'], 0, 100),
      rx_ccq: leadingNumber(row['rx-ccq'], 0, 100),
      tx_rate: txRate,
      rx_rate: rxRate,
      tx_rate_mbps: rateMbps(txRate),
      rx_rate_mbps: rateMbps(rxRate),
      uptime_seconds: uptime === undefined ? null : Math.floor(uptime / 1000),
      last_ip: str(row['last-ip'], 64),
      radio_name: str(row['radio-name']),
      routeros_version: str(row['routeros-version']),
      band: str(row.band),
    });
  }
  return [...seen.values()];
}

// Radio physics and what RouterOS prints about it. Signal is a link's base level plus weather-like drift (two slow
// waves, hours and tens of minutes) and noise (re-drawn every 5 s), minus what a degrading sector has lost; rates
// and CCQ follow the signal-to-noise ratio. Rows: legacy `wireless` registration table (field names and values as
// the 7.16 fixture and 6.x API replies: `signal-strength=-62@6Mbps`, `tx-rate=585Mbps-80MHz/2S/SGI`, `tx,rx`
// pairs, MikroTik peers add radio-name, routeros-version, rx-ccq, tx-signal-strength), the `wifi` package's table
// (`signal`, `band`, `auth-type`, rates in bit/s; no CCQ), legacy CAPsMAN's (`rx-signal`), and both monitors.
import type { Row } from './query.js';
import { formatDuration, formatId, unit } from './values.js';

const U32 = 1n << 32n;
const U64 = 1n << 64n;

/** The weakest signal a link reports; below it a real station would drop, the simulator keeps it there. */
export const SIGNAL_FLOOR = -96;
/** How far drift and noise move a signal from its base (dB, each way). */
export const DRIFT_DB = 6;

/** Signal (dBm) of `key` at time `t`: base, drift and noise, minus `lossDb`, never below the floor. */
export function signalAt(key: string, base: number, t: number, lossDb = 0): number {
  const p1 = unit(`${key}:w1`) * Math.PI * 2;
  const p2 = unit(`${key}:w2`) * Math.PI * 2;
  const weather =
    3 * Math.sin((t / 21_600_000) * Math.PI * 2 + p1) + 1.5 * Math.sin((t / 2_820_000) * Math.PI * 2 + p2);
  const noise = (unit(`${key}:${Math.floor(t / 5000)}`) - 0.5) * 3;
  return Math.max(SIGNAL_FLOOR, Math.round(base + weather + noise - lossDb));
}

/** A radio's noise floor (dBm): seeded per interface, wobbling a dB. */
export function noiseFloorAt(key: string, t: number): number {
  const base = -101 - Math.floor(unit(`${key}:nf`) * 8);
  return base + Math.round(Math.sin((t / 600_000) * Math.PI * 2 + unit(`${key}:nfp`) * 6));
}

export type Standard = 'ax' | 'ac' | 'n' | 'legacy';

export interface RadioBand {
  ghz5: boolean;
  standard: Standard;
  /** MHz. */
  width: number;
}

/** What a configured band (`5ghz-a/n/ac`, `2ghz-b/g/n`, `5ghz-ax`) and width allow. */
export function bandOf(band: string | undefined, width: string | undefined): RadioBand {
  const b = band ?? '5ghz-a/n/ac';
  const ghz5 = !b.startsWith('2ghz');
  const standard: Standard = /ax/.test(b) ? 'ax' : /ac/.test(b) ? 'ac' : /n/.test(b) ? 'n' : 'legacy';
  const max = /80/.test(width ?? '') ? 80 : /40/.test(width ?? '') ? 40 : width ? 20 : undefined;
  const natural = !ghz5 ? 20 : standard === 'ac' || standard === 'ax' ? 80 : standard === 'n' ? 40 : 20;
  return { ghz5, standard, width: Math.min(max ?? natural, natural) };
}

const CHANNELS_5 = [5180, 5200, 5220, 5240, 5745, 5765, 5785, 5805];
const CHANNELS_2 = [2412, 2437, 2462];

/** The frequency a radio runs on: the configured one, else a seeded channel of its band. */
export function frequencyOf(key: string, configured: string | undefined, b: RadioBand): number {
  const n = Number(configured);
  if (Number.isInteger(n) && n > 2000) return n;
  const list = b.ghz5 ? CHANNELS_5 : CHANNELS_2;
  return list[Math.floor(unit(`${key}:freq`) * list.length)] as number;
}

/** Legacy `monitor` channel text: `5180/20-Ceee/ac`, `5180/20-Ce/an`, `2437/20/gn`. */
export function legacyChannel(freq: number, b: RadioBand): string {
  const ext = b.width === 80 ? '-Ceee' : b.width === 40 ? '-Ce' : '';
  if (b.standard === 'ac' || b.standard === 'ax') return `${freq}/20${ext}/ac`;
  if (b.standard === 'n') return `${freq}/20${ext}/${b.ghz5 ? 'an' : 'gn'}`;
  return `${freq}/20/${b.ghz5 ? 'a' : 'g'}`;
}

/** wifi `monitor` channel text: `5180/ax/Ceee`, `2437/n`. */
export function wifiChannel(freq: number, b: RadioBand): string {
  const std = b.standard === 'legacy' ? (b.ghz5 ? 'a' : 'g') : b.standard;
  const ext = b.width === 80 ? '/Ceee' : b.width === 40 ? '/Ce' : '';
  return `${freq}/${std}${ext}`;
}

// Two spatial streams, short guard interval (Mbps per MCS).
const RATES: Record<string, number[]> = {
  '80': [65, 130, 195, 260, 390, 520, 585, 650, 780, 866.6],
  '40': [30, 60, 90, 120, 180, 240, 270, 300],
  '20': [14.4, 28.9, 43.3, 57.8, 86.7, 115.6, 130, 144.4],
  ax80: [72.1, 144.1, 216.2, 288.2, 432.4, 576.5, 648.5, 720.6, 864.7, 960.8, 1080.9, 1201],
  ax20: [17.2, 34.4, 51.6, 68.8, 103.2, 137.6, 154.9, 172.1, 206.5, 229.4, 258.1, 286.8],
};
// SNR (dB) each MCS needs.
const SNR_NEEDED = [5, 8, 11, 14, 18, 22, 24, 26, 30, 32, 35, 38];

function mcsFor(snr: number, count: number): number {
  let m = -1;
  for (let i = 0; i < count; i++) if (snr >= (SNR_NEEDED[i] as number)) m = i;
  return m;
}

/** The PHY rate at a signal-to-noise ratio: legacy text (`585Mbps-80MHz/2S/SGI`) and bits per second. */
export function rateAt(snr: number, b: RadioBand): { text: string; bps: number } {
  const basic = b.ghz5 ? 6 : 1;
  if (b.standard === 'legacy') {
    const r = snr >= 25 ? 54 : snr >= 15 ? 24 : basic;
    return { text: `${r}Mbps`, bps: r * 1e6 };
  }
  const table =
    b.standard === 'ax'
      ? (RATES[b.width >= 80 ? 'ax80' : 'ax20'] as number[])
      : b.standard === 'ac'
        ? (RATES[String(Math.max(40, b.width))] as number[])
        : (RATES[b.width >= 40 ? '40' : '20'] as number[]);
  const m = mcsFor(snr, table.length);
  if (m < 0) return { text: `${basic}Mbps`, bps: basic * 1e6 };
  const r = table[m] as number;
  const width = b.standard === 'ax' ? Math.max(20, b.width) : b.standard === 'ac' ? Math.max(40, b.width) : b.width;
  return { text: `${r}Mbps-${width}MHz/2S/SGI`, bps: Math.round(r * 1e6) };
}

/** CCQ (%) at a signal-to-noise ratio. */
export function ccqAt(snr: number, key: string, t: number): number {
  const jitter = Math.round((unit(`${key}:ccq:${Math.floor(t / 10_000)}`) - 0.5) * 6);
  return Math.max(5, Math.min(100, Math.round(100 - Math.max(0, 42 - snr) * 2.2) + jitter));
}

/** One end of an association, as the local device sees it. */
export interface Association {
  id: number;
  /** Local interface (its current name; for CAPsMAN rows the remote CAP interface, `cap1`). */
  localInterface: string;
  peerMac: string;
  /** This row is on the station: the peer is the access point. */
  peerIsAp: boolean;
  /** The peer is a station in a bridging mode (legacy `bridge=`). */
  peerBridges: boolean;
  /** What legacy wireless learns from a MikroTik peer. */
  peerMikrotik?: { radioName: string; routerosVersion: string };
  lastIp?: string;
  ssid: string;
  band: RadioBand;
  /** Associated since (ms). */
  since: number;
  /** Signal the local radio hears, and the peer hears of it (dBm). */
  signal: number;
  txSignal: number;
  noiseFloor: number;
  peerNoiseFloor: number;
  /** Mean traffic towards the peer (bit/s). */
  bps: number;
  key: string;
}

function wrap(n: bigint, is32: boolean): bigint {
  return n % (is32 ? U32 : U64);
}

function counters(a: Association, now: number, is32: boolean) {
  const secs = Math.max(0, now - a.since) / 1000;
  const tx = BigInt(Math.floor((a.bps / 8) * secs));
  const rx = tx / 3n + BigInt(Math.floor(secs * 200));
  const pair = (x: bigint, y: bigint) => `${wrap(x, is32)},${wrap(y, is32)}`;
  return { tx, rx, pair };
}

function chains(a: Association): { ch0: number; ch1: number; tx0: number; tx1: number } {
  return {
    ch0: a.signal - 1 - Math.floor(unit(`${a.key}:c0`) * 3),
    ch1: a.signal - 3 - Math.floor(unit(`${a.key}:c1`) * 5),
    tx0: a.txSignal - 1 - Math.floor(unit(`${a.key}:t0`) * 3),
    tx1: a.txSignal - 3 - Math.floor(unit(`${a.key}:t1`) * 5),
  };
}

/** `/interface/wireless/registration-table` row (legacy package; v6 counters wrap at 2^32). */
export function legacyRegistrationRow(a: Association, now: number, v7: boolean): Row {
  const snr = a.signal - a.noiseFloor;
  const peerSnr = a.txSignal - a.peerNoiseFloor;
  const rx = rateAt(snr, a.band);
  const tx = rateAt(peerSnr, a.band);
  const txCcq = ccqAt(peerSnr, `${a.key}:tx`, now);
  const c = counters(a, now, !v7);
  const ch = chains(a);
  const basic = a.band.ghz5 ? '6Mbps' : '1Mbps';
  const mt = a.peerMikrotik;
  const row: Row = { '.id': formatId(a.id), interface: a.localInterface };
  if (mt) row['radio-name'] = mt.radioName;
  Object.assign(row, {
    'mac-address': a.peerMac,
    ap: a.peerIsAp ? 'true' : 'false',
    wds: 'false',
    bridge: a.peerBridges ? 'true' : 'false',
    'rx-rate': rx.text,
    'tx-rate': tx.text,
    packets: c.pair(c.tx / 900n, c.rx / 500n),
    bytes: c.pair(c.tx, c.rx),
    frames: c.pair(c.tx / 1300n, c.rx / 800n),
    'frame-bytes': c.pair(c.tx + c.tx / 100n, c.rx + c.rx / 100n),
    'hw-frames': c.pair(c.tx / 1100n, c.rx / 700n),
    'hw-frame-bytes': c.pair(c.tx + c.tx / 20n, c.rx + c.rx / 20n),
    'tx-frames-timed-out': '0',
    uptime: formatDuration(Math.floor(Math.max(0, now - a.since) / 1000) * 1000),
    'last-activity': formatDuration(10 + Math.floor(unit(`${a.key}:${Math.floor(now / 1000)}`) * 4000)),
    'signal-strength': `${a.signal}@${basic}`,
    'signal-to-noise': String(snr),
    'signal-strength-ch0': String(ch.ch0),
    'signal-strength-ch1': String(ch.ch1),
  });
  if (mt) {
    row['tx-signal-strength-ch0'] = String(ch.tx0);
    row['tx-signal-strength-ch1'] = String(ch.tx1);
  }
  row['strength-at-rates'] =
    `${a.signal}@${basic} ${formatDuration(3300)},${a.signal - 1}@${rx.text.split('-')[0]} ${formatDuration(1530)}`;
  if (mt) row['tx-signal-strength'] = String(a.txSignal);
  row['tx-ccq'] = String(txCcq);
  if (mt) row['rx-ccq'] = String(ccqAt(snr, `${a.key}:rx`, now));
  row['p-throughput'] = String(Math.floor((tx.bps / 1000) * (txCcq / 100) * 0.6));
  row.distance = '1';
  if (mt) row['routeros-version'] = mt.routerosVersion;
  if (a.lastIp) row['last-ip'] = a.lastIp;
  Object.assign(row, {
    '802.1x-port-enabled': 'true',
    'authentication-type': 'wpa2-psk',
    encryption: 'aes-ccm',
    'group-encryption': 'aes-ccm',
    'management-protection': 'false',
    'wmm-enabled': 'true',
    'tx-rate-set': a.band.ghz5
      ? 'OFDM:6-54 BW:1x-4x SGI:1x-4x HT:0-15 VHTMCS:SS1=0-9,SS2=0-9'
      : 'CCK:1-11 OFDM:6-54 BW:1x SGI:1x HT:0-15',
  });
  return row;
}

/** wifi band name of a registration: `5ghz-ax`, `5ghz-ac`, `2ghz-n`. */
function wifiBand(b: RadioBand): string {
  const std = b.standard === 'legacy' ? (b.ghz5 ? 'a' : 'g') : b.standard;
  return `${b.ghz5 ? '5' : '2'}ghz-${std}`;
}

/** `/interface/wifi/registration-table` row (7.13+ wifi package: no CCQ, rates and throughput in bit/s). */
export function wifiRegistrationRow(a: Association, now: number): Row {
  const rx = rateAt(a.signal - a.noiseFloor, a.band);
  const tx = rateAt(a.txSignal - a.peerNoiseFloor, a.band);
  const c = counters(a, now, false);
  const wobble = 0.5 + unit(`${a.key}:bps:${Math.floor(now / 5000)}`);
  return {
    '.id': formatId(a.id),
    interface: a.localInterface,
    ssid: a.ssid,
    'mac-address': a.peerMac,
    uptime: formatDuration(Math.floor(Math.max(0, now - a.since) / 1000) * 1000),
    'last-activity': formatDuration(10 + Math.floor(unit(`${a.key}:${Math.floor(now / 1000)}`) * 4000)),
    signal: String(a.signal),
    'auth-type': 'wpa2-psk',
    band: wifiBand(a.band),
    'tx-rate': String(tx.bps),
    'rx-rate': String(rx.bps),
    packets: c.pair(c.tx / 900n, c.rx / 500n),
    bytes: c.pair(c.tx, c.rx),
    'tx-bits-per-second': String(Math.floor(a.bps * wobble)),
    'rx-bits-per-second': String(Math.floor((a.bps / 3) * wobble)),
    authorized: 'true',
  };
}

/** Legacy `/caps-man/registration-table` row on the CAPsMAN manager. */
export function capsmanRegistrationRow(a: Association, now: number): Row {
  const c = counters(a, now, true);
  return {
    '.id': formatId(a.id),
    interface: a.localInterface,
    ssid: a.ssid,
    'mac-address': a.peerMac,
    'rx-rate': rateAt(a.signal - a.noiseFloor, a.band).text,
    'tx-rate': rateAt(a.txSignal - a.peerNoiseFloor, a.band).text,
    'rx-signal': String(a.signal),
    uptime: formatDuration(Math.floor(Math.max(0, now - a.since) / 1000) * 1000),
    packets: c.pair(c.tx / 900n, c.rx / 500n),
    bytes: c.pair(c.tx, c.rx),
  };
}

/** What a wireless interface is doing, for its monitor. */
export interface RadioStatus {
  name: string;
  disabled: boolean;
  role: 'ap' | 'station' | 'station-bridge' | 'other';
  band: RadioBand;
  frequency: number;
  noiseFloor: number;
  ssid: string;
  /** AP: its associations. Station: the one with its AP, if associated. */
  associations: Association[];
  /** Station: the AP's MAC and (legacy, MikroTik AP) its radio name and version. */
  apMac?: string;
}

/** `/interface/wireless/monitor <if> once` (legacy package). */
export function legacyMonitorRow(s: RadioStatus, now: number): Row {
  if (s.disabled) return { name: s.name, status: 'disabled' };
  const channel = legacyChannel(s.frequency, s.band);
  if (s.role === 'ap' || s.role === 'other') {
    const ccqs = s.associations.map((a) => ccqAt(a.txSignal - a.peerNoiseFloor, `${a.key}:tx`, now));
    const overall = ccqs.length ? Math.round(ccqs.reduce((x, y) => x + y, 0) / ccqs.length) : 0;
    return {
      name: s.name,
      status: 'running-ap',
      channel,
      'wireless-protocol': '802.11',
      'noise-floor': String(s.noiseFloor),
      'overall-tx-ccq': String(overall),
      'registered-clients': String(s.associations.length),
      'authenticated-clients': String(s.associations.length),
      'current-distance': '1',
      'notify-external-fdb': 'false',
    };
  }
  const a = s.associations[0];
  if (!a) return { name: s.name, status: 'searching-for-network', 'notify-external-fdb': 'false' };
  const reg = legacyRegistrationRow(a, now, true);
  const row: Row = {
    name: s.name,
    status: 'connected-to-ess',
    channel,
    'wireless-protocol': '802.11',
    'tx-rate': reg['tx-rate'] as string,
    'rx-rate': reg['rx-rate'] as string,
    ssid: s.ssid,
    bssid: a.peerMac,
  };
  if (a.peerMikrotik) row['radio-name'] = a.peerMikrotik.radioName;
  Object.assign(row, {
    'signal-strength': String(a.signal),
    'signal-strength-ch0': reg['signal-strength-ch0'],
    'signal-strength-ch1': reg['signal-strength-ch1'],
  });
  if (a.peerMikrotik) row['tx-signal-strength'] = String(a.txSignal);
  Object.assign(row, {
    'noise-floor': String(s.noiseFloor),
    'signal-to-noise': reg['signal-to-noise'],
    'tx-ccq': reg['tx-ccq'],
  });
  if (reg['rx-ccq']) row['rx-ccq'] = reg['rx-ccq'];
  Object.assign(row, {
    'p-throughput': reg['p-throughput'],
    'overall-tx-ccq': reg['tx-ccq'],
    'authenticated-clients': '1',
    'current-distance': '1',
    'wds-link': 'false',
    bridge: s.role === 'station-bridge' ? 'true' : 'false',
  });
  if (a.peerMikrotik) row['routeros-version'] = a.peerMikrotik.routerosVersion;
  Object.assign(row, {
    '802.1x-port-enabled': 'true',
    'authentication-type': 'wpa2-psk',
    encryption: 'aes-ccm',
    'group-encryption': 'aes-ccm',
    'management-protection': 'false',
    'wmm-enabled': 'true',
    'notify-external-fdb': 'false',
  });
  return row;
}

/** `/interface/wifi/monitor <if> once` (wifi package). */
export function wifiMonitorRow(s: RadioStatus): Row {
  if (s.disabled) return { name: s.name, state: 'disabled' };
  const channel = wifiChannel(s.frequency, s.band);
  const txPower = s.band.ghz5 ? '23' : '20';
  if (s.role === 'ap' || s.role === 'other') {
    const n = String(s.associations.length);
    return {
      name: s.name,
      state: 'running-ap',
      channel,
      'registered-peers': n,
      'authorized-peers': n,
      'tx-power': txPower,
    };
  }
  const a = s.associations[0];
  if (!a) return { name: s.name, state: 'searching' };
  return {
    name: s.name,
    state: 'running-station',
    channel,
    'ap-address': a.peerMac,
    'registered-peers': '1',
    'authorized-peers': '1',
    'tx-power': txPower,
  };
}

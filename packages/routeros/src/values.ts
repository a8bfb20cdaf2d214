// Helpers for RouterOS value strings. Every API value is a string; these turn the common shapes into typed values.
// Each returns `undefined` for a string that is not in the expected shape, so callers can tell "absent/odd" apart
// from a real value without try/catch.

/** `true`/`yes` -> true, `false`/`no` -> false. */
export function parseBool(v: string | undefined): boolean | undefined {
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  return undefined;
}

/** Integer counters as bigint: byte counters pass 2^53 on busy links and 2^32 within days. */
export function parseCounter(v: string | undefined): bigint | undefined {
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return BigInt(v);
}

/** Small integers (mtu, cpu-load, counts) as number. */
export function parseIntValue(v: string | undefined): number | undefined {
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

const UNIT_MS: Record<string, number> = {
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  ns: 0.000001,
};
const UNIT_ORDER = ['w', 'd', 'h', 'm', 's', 'ms', 'us', 'ns'];
const CLOCK = /^(\d+):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/**
 * Durations to milliseconds: `1w2d3h4m5s`, `1s530ms`, `453us` (fractional ms), `HH:MM:SS`, `HH:MM:SS.mmm`,
 * `2d10:11:12`, `1w2d10:11:12`. Units must appear in decreasing order, each at most once, as RouterOS prints them.
 */
export function parseDuration(v: string | undefined): number | undefined {
  if (v === undefined || v.length === 0) return undefined;
  let rest = v;
  let negative = false;
  if (rest.startsWith('-')) {
    negative = true;
    rest = rest.slice(1);
  }
  let total = 0;
  let lastUnit = -1;
  const unitRe = /^(\d+)(ms|us|ns|w|d|h|m|s)/;
  let any = false;
  for (;;) {
    const clock = CLOCK.exec(rest);
    if (clock) {
      // A clock part follows at most w/d units.
      if (lastUnit > UNIT_ORDER.indexOf('d')) return undefined;
      const [, hh, mm, ss, frac] = clock;
      if (Number(mm) > 59 || Number(ss) > 59) return undefined;
      total += Number(hh) * 3_600_000 + Number(mm) * 60_000 + Number(ss) * 1000;
      if (frac) total += Number(`0.${frac}`) * 1000;
      any = true;
      rest = '';
      break;
    }
    const m = unitRe.exec(rest);
    if (!m) break;
    const unitIndex = UNIT_ORDER.indexOf(m[2]!);
    if (unitIndex <= lastUnit) return undefined;
    lastUnit = unitIndex;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    any = true;
    rest = rest.slice(m[0].length);
  }
  if (!any || rest.length > 0) return undefined;
  return negative ? -total : total;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const OLD_DATE = /^([a-z]{3})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$/;

/**
 * A RouterOS date or date-time as naive ISO text (`2024-01-31T10:20:30`, or `2024-01-31` for a date alone).
 * Accepts `jan/02/1970 00:24:39`, `jan/02/1970` (RouterOS before ~7.10) and `2024-01-31 10:20:30`, `2024-01-31`.
 * RouterOS prints the router's local time without a zone, so the result has none either.
 */
export function parseDateIso(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  let y: string;
  let mo: string;
  let d: string;
  let time: [string, string, string] | undefined;
  const old = OLD_DATE.exec(v);
  const iso = old ? null : ISO_DATE.exec(v);
  if (old) {
    const month = MONTHS.indexOf(old[1]!.toLowerCase());
    if (month < 0) return undefined;
    [y, mo, d] = [old[3]!, String(month + 1).padStart(2, '0'), old[2]!];
    if (old[4] !== undefined) time = [old[4], old[5]!, old[6]!];
  } else if (iso) {
    [y, mo, d] = [iso[1]!, iso[2]!, iso[3]!];
    if (iso[4] !== undefined) time = [iso[4], iso[5]!, iso[6]!];
  } else {
    return undefined;
  }
  const yn = Number(y);
  const mn = Number(mo);
  const dn = Number(d);
  if (mn < 1 || mn > 12 || dn < 1 || dn > new Date(Date.UTC(yn, mn, 0)).getUTCDate()) return undefined;
  if (!time) return `${y}-${mo}-${d}`;
  if (Number(time[0]) > 23 || Number(time[1]) > 59 || Number(time[2]) > 59) return undefined;
  return `${y}-${mo}-${d}T${time[0]}:${time[1]}:${time[2]}`;
}

/**
 * A RouterOS date/date-time as a Date, reading the wall-clock value at `utcOffsetMinutes` east of UTC
 * (the router's time zone; default UTC). A date alone means midnight.
 */
export function parseDate(v: string | undefined, utcOffsetMinutes = 0): Date | undefined {
  const iso = parseDateIso(v);
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : `${iso}Z`);
  return new Date(ms - utcOffsetMinutes * 60_000);
}

/** `tx,rx` pairs such as `bytes=5919271457,2570329671` as bigints. */
export function parseCounterPair(v: string | undefined): { tx: bigint; rx: bigint } | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+),(\d+)$/.exec(v);
  if (!m) return undefined;
  return { tx: BigInt(m[1]!), rx: BigInt(m[2]!) };
}

const RATE_UNITS: Record<string, number> = { bps: 1, kbps: 1e3, Mbps: 1e6, Gbps: 1e9 };

/** Leading bit rate of a rate string: `6Mbps`, `866.6Mbps-80MHz/2S/SGI` -> bits per second. */
export function parseBitrate(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(bps|kbps|Mbps|Gbps)(?![a-zA-Z])/.exec(v);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * RATE_UNITS[m[2]!]!);
}

export interface SignalAtRate {
  /** dBm. */
  signal: number;
  /** Rate text as printed (`6Mbps`). */
  rate: string;
  /** Bits per second when the rate is a plain bit rate. */
  rateBps: number | undefined;
}

/** `-62@6Mbps` -> { signal: -62, rate: '6Mbps', rateBps: 6000000 }. A bare `-62` gives rate ''. */
export function parseSignal(v: string | undefined): SignalAtRate | undefined {
  if (v === undefined) return undefined;
  const m = /^(-?\d+)(?:@(\S+))?$/.exec(v);
  if (!m) return undefined;
  const rate = m[2] ?? '';
  return { signal: Number(m[1]), rate, rateBps: rate ? parseBitrate(rate) : undefined };
}

/** `strength-at-rates`: `-62@6Mbps 3s300ms,-62@24Mbps 1s530ms` -> signal, rate and age of each sample. */
export function parseStrengthAtRates(v: string | undefined): Array<SignalAtRate & { ageMs: number }> | undefined {
  if (v === undefined) return undefined;
  if (v === '') return [];
  const out: Array<SignalAtRate & { ageMs: number }> = [];
  for (const part of v.split(',')) {
    const [sig, age, extra] = part.split(' ');
    const s = parseSignal(sig);
    const a = parseDuration(age);
    if (!s || a === undefined || extra !== undefined) return undefined;
    out.push({ ...s, ageMs: a });
  }
  return out;
}

/** Comma lists (`read,write`, `established,related`); empty string -> []. */
export function parseList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return v === '' ? [] : v.split(',');
}

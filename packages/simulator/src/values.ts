// Value formats as RouterOS prints them over the API: every value a string, booleans `true`/`false`, durations
// `1w2d3h4m5s`, item ids `*1A`.

export function formatId(n: number): string {
  return `*${n.toString(16).toUpperCase()}`;
}

export function parseId(text: string): number | undefined {
  const m = /^\*([0-9A-Fa-f]{1,8})$/.exec(text);
  return m ? Number.parseInt(m[1] as string, 16) : undefined;
}

/** RouterOS duration text for milliseconds: `1w1h10m14s`, `1s530ms`, `0s`. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.floor(ms));
  const parts: string[] = [];
  const units: Array<[string, number]> = [
    ['w', 604_800_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  for (const [u, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${u}`);
    rest -= n * size;
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.length === 0 ? '0s' : parts.join('');
}

/** Parses `1d2h`, `5m`, `500ms`, `00:05:00`, `1d 02:00:00` and bare seconds. Undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const clock = /^(?:(\d+)d\s*)?(\d+):(\d{2}):(\d{2})$/.exec(t);
  if (clock) {
    return (Number(clock[1] ?? 0) * 86400 + Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4])) * 1000;
  }
  const re = /(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const n = Number(m[1]);
    const unit = m[2] as string;
    total += n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[unit as 'ms'];
    consumed += m[0].length;
  }
  return consumed === t.length ? total : undefined;
}

/** Export text spells booleans `yes`/`no`, the API `true`/`false`; the store keeps the export form. */
export function toApiValue(v: string): string {
  if (v === 'yes') return 'true';
  if (v === 'no') return 'false';
  return v;
}

export function fromApiValue(v: string): string {
  if (v === 'true') return 'yes';
  if (v === 'false') return 'no';
  return v;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Device clock text. RouterOS uses `jan/02/1970` dates before 7.10 and ISO `2025-03-01` after. */
export function formatDate(d: Date, iso: boolean): string {
  if (iso) return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return `${MONTHS[d.getUTCMonth()]}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

export function formatTime(d: Date): string {
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * A `/log` line's time as RouterOS prints it: the time alone for today's lines, `mmm/dd` before it for earlier ones
 * this year, and the full date (`jan/02/1970`, or ISO from 7.10) for other years.
 */
export function formatLogTime(at: number, now: number, iso: boolean): string {
  const d = new Date(at);
  const today = new Date(now);
  const time = formatTime(d);
  if (d.toISOString().slice(0, 10) === today.toISOString().slice(0, 10)) return time;
  if (d.getUTCFullYear() === today.getUTCFullYear()) return `${MONTHS[d.getUTCMonth()]}/${pad(d.getUTCDate())} ${time}`;
  return `${formatDate(d, iso)} ${time}`;
}

export function formatDateTime(d: Date, iso: boolean): string {
  return `${formatDate(d, iso)} ${formatTime(d)}`;
}

/** Small, fast, deterministic hash (FNV-1a) so per-device and per-interface numbers are stable across reads. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A stable pseudo-random number in [0, 1) for a key. */
export function unit(key: string): number {
  return hash32(key) / 0x1_0000_0000;
}

export function macFor(key: string): string {
  const h = hash32(key);
  const g = hash32(`${key}#2`);
  const bytes = [0x4c, 0x5e, 0x0c, (h >>> 16) & 0xff, (h >>> 8) & 0xff, (h ^ g) & 0xff];
  return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

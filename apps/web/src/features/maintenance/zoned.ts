// Local wall-clock times in an IANA time zone, for the window form (a datetime-local input means a time in the
// window's zone, not the browser's) and for occurrences. The same rules as the server's
// apps/server/src/features/maintenance-windows/occurrences.ts (wallOf, instantOf), which this mirrors.

export const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The local wall-clock time of an instant in `tz`, as ms since the epoch read as if UTC ("wall ms"). */
export function wallOf(t: number, tz: string): number {
  const ms = ((t % 1000) + 1000) % 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(t - ms))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return (
    Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, (p.hour ?? 0) % 24, p.minute ?? 0, p.second ?? 0) + ms
  );
}

/**
 * The instant of a local wall-clock time: a time that happens twice (fall back) is the earlier one, a time that does
 * not exist (spring forward) is the moment the clocks change.
 */
export function instantOf(wall: number, tz: string): number {
  const before = wallOf(wall - DAY, tz) - (wall - DAY);
  const after = wallOf(wall + DAY, tz) - (wall + DAY);
  const a = wall - before;
  const b = wall - after;
  const aFits = wallOf(a, tz) === wall;
  const bFits = wallOf(b, tz) === wall;
  if (aFits && bFits) return Math.min(a, b);
  if (aFits) return a;
  if (bFits) return b;
  let lo = b;
  let hi = a;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallOf(mid, tz) - mid === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** An instant as a datetime-local input's value (YYYY-MM-DDTHH:mm) in `tz`. */
export const toLocalInput = (iso: string, tz: string): string =>
  new Date(wallOf(new Date(iso).getTime(), tz)).toISOString().slice(0, 16);

/** A datetime-local input's value, read in `tz`, as an ISO instant; null when the input is empty or invalid. */
export function fromLocalInput(value: string, tz: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return new Date(instantOf(wall, tz)).toISOString();
}

/** The local date (YYYY-MM-DD) of an instant in `tz`. */
export const localDate = (t: number, tz: string): string => new Date(wallOf(t, tz)).toISOString().slice(0, 10);

/** The browser's time zone, the default for a new window. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Every IANA zone the browser knows, with the browser's own and UTC always offered. */
export function timeZones(): string[] {
  let all: string[] = [];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {}
  return [...new Set([browserZone(), 'UTC', ...all])].sort((x, y) => x.localeCompare(y));
}

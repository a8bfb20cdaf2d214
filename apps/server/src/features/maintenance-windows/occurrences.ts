// When a maintenance window is open. Pure: no database, no clock (callers pass `at`).
//
// Semantics
// - `startsAt`/`endsAt` are the first occurrence, exact instants. The first occurrence always counts, whatever
//   `by_day` says (like DTSTART in RFC 5545).
// - One-time (no recurrence): that occurrence is the whole window.
// - Recurring: every later occurrence starts on a later local date of `timezone` at the first occurrence's local
//   wall-clock start, and ends at that wall-clock start plus the first occurrence's wall-clock length. So a window
//   of 02:00–04:00 in Europe/Berlin is 02:00–04:00 local in winter and in summer. Across a clock change the real
//   length differs by the shift on that one night only.
//   - A local time that does not exist (spring forward) is the moment the clocks change, so an occurrence covers
//     the part of its local time range that exists that day: in Europe/Berlin 02:00–04:00 is 03:00–04:00 CEST on
//     the night the clocks jump from 02:00 to 03:00, and 02:00–03:00 is empty that night (skipped).
//   - A local time that happens twice (fall back) is the earlier of the two instants: 02:00–04:00 runs from
//     02:00 CEST to 04:00 CET (three hours) on the night the clocks go back.
// - `daily`: every local day after the first. `weekly`: the local weekdays in `by_day` (stored explicitly; when
//   missing, the first occurrence's weekday). The wall-clock length is > 0 and at most 24 h (daily) or 7 days
//   (weekly), so one daily window never runs into the next one's start.
// - `until` ends the series: an ISO date (occurrences starting on that local date or before) or an ISO date-time
//   with offset (occurrences starting at that instant or before).
// - Occurrences are half-open: [start, end). When occurrences overlap, the one containing `at` that ends last is
//   returned (it says how long the window stays open).

export const weekdays = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const;
export type Weekday = (typeof weekdays)[number];
export type Recurrence = { freq: 'daily' | 'weekly'; by_day?: Weekday[]; until?: string };

/** What the maths needs of a window. */
export type WindowTiming = { startsAt: Date; endsAt: Date; timezone: string; recurrence: Recurrence | null };
export type Occurrence = { start: Date; end: Date };

const DAY = 86_400_000;
/** Far enough ahead to meet the next start of any daily or weekly series (7 days) and any open occurrence's end. */
const HORIZON = 16 * DAY;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// getUTCDay() order: Sunday first.
const jsDay: readonly Weekday[] = ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'];

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

/** The IANA zone's canonical name, or null when Intl does not know it (offsets like "+01:00" are refused). */
export function canonicalTimezone(tz: string): string | null {
  if (!/^[A-Za-z]/.test(tz) || tz.length > 64) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * The local wall-clock time of an instant in `tz`, as milliseconds since the epoch read as if UTC ("wall ms"):
 * `new Date(wall).getUTCHours()` is the local hour.
 */
export function wallOf(t: number, tz: string): number {
  const ms = ((t % 1000) + 1000) % 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(t - ms))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return wall + ms;
}

/**
 * The instant of a local wall-clock time. A time that happens twice (fall back) is the earlier one; a time that does
 * not exist (spring forward) is the moment the clocks change. So the result never goes back as `wall` goes forward.
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
  // In a gap: the change happens between b (old offset still) and a (new offset already). Find it to the ms.
  let lo = b;
  let hi = a;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallOf(mid, tz) - mid === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

const floorDay = (wall: number) => Math.floor(wall / DAY) * DAY;

/** The series' fixed parts, derived from the first occurrence. */
function shape(w: WindowTiming) {
  const w0 = wallOf(w.startsAt.getTime(), w.timezone);
  const firstDay = floorDay(w0);
  const r = w.recurrence;
  const days = new Set<Weekday>(r?.by_day?.length ? r.by_day : [jsDay[new Date(firstDay).getUTCDay()]!]);
  let untilDay: number | null = null;
  let untilInstant: number | null = null;
  if (r?.until) {
    const d = DATE_ONLY.exec(r.until);
    if (d) untilDay = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    else untilInstant = new Date(r.until).getTime();
  }
  return {
    firstDay,
    timeOfDay: w0 - firstDay,
    length: wallOf(w.endsAt.getTime(), w.timezone) - w0,
    matches: (day: number) => r?.freq === 'daily' || days.has(jsDay[new Date(day).getUTCDay()]!),
    untilDay,
    untilInstant,
  };
}

/** Every occurrence that overlaps [from, to), in order of start. Meant for ranges of days, not years. */
export function occurrencesBetween(w: WindowTiming, from: Date, to: Date): Occurrence[] {
  const f = from.getTime();
  const t = to.getTime();
  const out: Occurrence[] = [];
  if (w.endsAt.getTime() > f && w.startsAt.getTime() < t) out.push({ start: w.startsAt, end: w.endsAt });
  if (!w.recurrence) return out;
  const s = shape(w);
  if (s.length <= 0) return out;
  // An occurrence overlapping `from` started at most its length (plus a day for offsets) before it.
  const firstCandidate = floorDay(wallOf(f, w.timezone)) - Math.ceil(s.length / DAY) * DAY - DAY;
  const lastCandidate = floorDay(wallOf(t, w.timezone)) + DAY;
  for (let day = Math.max(s.firstDay + DAY, firstCandidate); day <= lastCandidate; day += DAY) {
    if (s.untilDay !== null && day > s.untilDay) break;
    if (!s.matches(day)) continue;
    const start = instantOf(day + s.timeOfDay, w.timezone);
    if (s.untilInstant !== null && start > s.untilInstant) break;
    const end = instantOf(day + s.timeOfDay + s.length, w.timezone);
    // Empty when the whole local range falls in a spring-forward gap.
    if (end <= start) continue;
    if (end > f && start < t) out.push({ start: new Date(start), end: new Date(end) });
  }
  return out;
}

/** The occurrence containing `at` (the one ending last when several do), or null when the window is closed. */
export function occurrenceAt(w: WindowTiming, at: Date): Occurrence | null {
  let best: Occurrence | null = null;
  for (const o of occurrencesBetween(w, at, new Date(at.getTime() + 1)))
    if (o.start <= at && at < o.end && (!best || o.end >= best.end)) best = o;
  return best;
}

export const windowActive = (w: WindowTiming, at: Date): boolean => occurrenceAt(w, at) !== null;

/**
 * The next instant after `at` at which an occurrence starts or ends (for scheduling a re-evaluation), or null when
 * the series has no boundary left. With overlapping occurrences a boundary may not change whether the window is
 * open; re-evaluate with `windowActive` then.
 */
export function nextBoundaryAfter(w: WindowTiming, at: Date): Date | null {
  if (at < w.startsAt) return w.startsAt;
  let next: Date | null = null;
  for (const o of occurrencesBetween(w, at, new Date(at.getTime() + HORIZON)))
    for (const b of [o.start, o.end]) if (b > at && (!next || b < next)) next = b;
  return next;
}

/** The first occurrence starting after `at`, or null when none is left. */
export function nextOccurrenceAfter(w: WindowTiming, at: Date): Occurrence | null {
  if (at < w.startsAt) return { start: w.startsAt, end: w.endsAt };
  return occurrencesBetween(w, at, new Date(at.getTime() + HORIZON)).find((o) => o.start > at) ?? null;
}

/** When the last occurrence ends; null for a series without `until` (it never ends). */
export function seriesEnd(w: WindowTiming): Date | null {
  if (!w.recurrence) return w.endsAt;
  const s = shape(w);
  let limit: number;
  if (s.untilInstant !== null) limit = s.untilInstant;
  else if (s.untilDay !== null) limit = instantOf(s.untilDay + DAY, w.timezone);
  else return null;
  let end = w.endsAt;
  for (const o of occurrencesBetween(w, new Date(limit - HORIZON), new Date(limit + HORIZON)))
    if (o.end > end) end = o.end;
  return end;
}

/** The wall-clock length of the first occurrence, in ms (what a recurring window's limits are measured on). */
export const wallLength = (w: WindowTiming): number =>
  wallOf(w.endsAt.getTime(), w.timezone) - wallOf(w.startsAt.getTime(), w.timezone);

/** The local weekday of an instant. */
export const weekdayOf = (t: Date, tz: string): Weekday =>
  jsDay[new Date(floorDay(wallOf(t.getTime(), tz))).getUTCDay()]!;

/** The local date (YYYY-MM-DD) of an instant. */
export const localDate = (t: Date, tz: string): string => new Date(wallOf(t.getTime(), tz)).toISOString().slice(0, 10);

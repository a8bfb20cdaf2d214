import type { MaintenanceWindow, Weekday } from '@/api/maintenance-windows';
import { DAY, instantOf, wallOf } from './zoned';

// A window's occurrences over the next days, for the calendar-like list. The API answers only the open occurrence
// and the next one, so the ones after are worked out here by the server's rules
// (apps/server/src/features/maintenance-windows/occurrences.ts, occurrencesBetween): later occurrences start on a
// later local date at the first one's local start and last its local length; daily every day, weekly on `by_day`;
// `until` is a last local date or a last start instant. occurrences.test.ts checks this against the server's code.

export type Occurrence = { start: number; end: number };

// getUTCDay() order: Sunday first.
const jsDay: readonly Weekday[] = ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'];
const floorDay = (wall: number) => Math.floor(wall / DAY) * DAY;
type Timing = Pick<MaintenanceWindow, 'starts_at' | 'ends_at' | 'timezone' | 'recurrence'>;

/** Every occurrence of the window that overlaps [from, to), in order of start. */
export function occurrencesBetween(w: Timing, from: number, to: number): Occurrence[] {
  const first = { start: Date.parse(w.starts_at), end: Date.parse(w.ends_at) };
  const out: Occurrence[] = [];
  if (first.end > from && first.start < to) out.push(first);
  const r = w.recurrence;
  if (!r) return out;
  const tz = w.timezone;
  const w0 = wallOf(first.start, tz);
  const firstDay = floorDay(w0);
  const timeOfDay = w0 - firstDay;
  const length = wallOf(first.end, tz) - w0;
  if (length <= 0) return out;
  const days = new Set<Weekday>(r.by_day?.length ? r.by_day : [jsDay[new Date(firstDay).getUTCDay()] ?? 'mo']);
  const dateOnly = r.until ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(r.until) : null;
  const untilDay = dateOnly ? Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])) : null;
  const untilInstant = r.until && !dateOnly ? Date.parse(r.until) : null;
  const firstCandidate = floorDay(wallOf(from, tz)) - Math.ceil(length / DAY) * DAY - DAY;
  const lastCandidate = floorDay(wallOf(to, tz)) + DAY;
  for (let day = Math.max(firstDay + DAY, firstCandidate); day <= lastCandidate; day += DAY) {
    if (untilDay !== null && day > untilDay) break;
    if (r.freq === 'weekly' && !days.has(jsDay[new Date(day).getUTCDay()] ?? 'mo')) continue;
    const start = instantOf(day + timeOfDay, tz);
    if (untilInstant !== null && start > untilInstant) break;
    const end = instantOf(day + timeOfDay + length, tz);
    // Empty when the whole local range falls in a spring-forward gap.
    if (end <= start) continue;
    if (end > from && start < to) out.push({ start, end });
  }
  return out;
}

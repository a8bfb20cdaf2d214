import { AppError } from '../../platform/http/errors.js';
import {
  canonicalTimezone,
  localDate,
  type Recurrence,
  seriesEnd,
  type WindowTiming,
  wallLength,
  weekdayOf,
  weekdays,
} from './occurrences.js';

// The checks that need more than a schema: a real zone, an end after the start, a length the recurrence allows.
// Returns the window as stored: the zone's canonical name, weekly days spelled out, `until` as UTC when a date-time.

const HOUR = 3_600_000;
const maxLength = { daily: 24 * HOUR, weekly: 7 * 24 * HOUR } as const;

export type TimingInput = {
  starts_at: string;
  ends_at: string;
  timezone: string;
  recurrence: Recurrence | null;
};

export type Timing = WindowTiming & { seriesEnd: Date | null };

export function normalizeTiming(input: TimingInput): Timing {
  const timezone = canonicalTimezone(input.timezone);
  if (!timezone) throw new AppError('invalid_timezone', `unknown time zone ${JSON.stringify(input.timezone)}`);
  const startsAt = new Date(input.starts_at);
  const endsAt = new Date(input.ends_at);
  if (!(endsAt > startsAt)) throw new AppError('invalid_window', 'ends_at must be after starts_at');
  const r = input.recurrence;
  let recurrence: Recurrence | null = null;
  if (r) {
    if (r.freq === 'daily' && r.by_day !== undefined)
      throw new AppError('invalid_recurrence', 'by_day applies to weekly windows only');
    recurrence = { freq: r.freq };
    if (r.freq === 'weekly') {
      const days = new Set(r.by_day?.length ? r.by_day : [weekdayOf(startsAt, timezone)]);
      recurrence.by_day = weekdays.filter((d) => days.has(d));
    }
    if (r.until !== undefined) {
      const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(r.until);
      const until = dateOnly ? r.until : new Date(r.until).toISOString();
      if (dateOnly ? until < localDate(startsAt, timezone) : new Date(until) < startsAt)
        throw new AppError('invalid_recurrence', 'until is before the first occurrence');
      recurrence.until = until;
    }
    const length = wallLength({ startsAt, endsAt, timezone, recurrence });
    if (length <= 0)
      throw new AppError('invalid_window', 'the first occurrence ends before it starts on the local clock');
    if (length > maxLength[r.freq])
      throw new AppError(
        'invalid_window',
        r.freq === 'daily' ? 'a daily window lasts at most 24 hours' : 'a weekly window lasts at most 7 days',
      );
  }
  const timing = { startsAt, endsAt, timezone, recurrence };
  return { ...timing, seriesEnd: seriesEnd(timing) };
}

import { CronExpressionParser } from 'cron-parser';
import { canonicalTimezone, instantOf, wallOf } from '../maintenance-windows/occurrences.js';

const DAY = 86_400_000;

// When a report schedule runs, and which period each run covers.
//
// A schedule is a five-field cron expression (minute hour day month weekday) read in an IANA time zone, running at
// most once an hour (a report costs CPU). Each run covers the period that ENDS at its run time (`scheduled_for`):
//   day   — from the same local time the day before,
//   week  — from the same local time seven days before,
//   month — from the same local time and day one calendar month before (the 31st falls back to the month's last day).
// Periods are counted on the schedule's local clock, so "daily at 06:00 Europe/Berlin" always covers 06:00 → 06:00,
// 23 or 25 hours across a DST change. A worker that was down runs a missed schedule once when it is back, for the
// run time that was missed; the next run is then the first one after now.

export const periods = ['day', 'week', 'month'] as const;
export type Period = (typeof periods)[number];

const MIN_GAP_MS = 60 * 60_000;

/** The zone's canonical name, or null when it is not an IANA time zone. */
export const canonicalZone = canonicalTimezone;

/** Why `cron` is not a usable report schedule in `tz`, or null when it is. */
export function cronProblem(cron: string, tz = 'UTC'): string | null {
  if (cron.trim().split(/\s+/).length !== 5) return 'five fields: minute hour day-of-month month day-of-week';
  let times: number[];
  try {
    times = CronExpressionParser.parse(cron, { tz })
      .take(6)
      .map((d) => d.getTime());
  } catch {
    return 'not a valid cron expression (minute hour day-of-month month day-of-week)';
  }
  if (times.length === 0) return 'the expression never fires';
  for (let i = 1; i < times.length; i++)
    if ((times[i] as number) - (times[i - 1] as number) < MIN_GAP_MS) return 'reports may run at most once an hour';
  return null;
}

/** The first run strictly after `after`, or null when the expression never fires again. */
export function nextRunAfter(cron: string, tz: string, after: Date): Date | null {
  const it = CronExpressionParser.parse(cron, { tz, currentDate: after });
  if (!it.hasNext()) return null;
  const at = it.next().toDate();
  return at.getTime() > after.getTime() ? at : null;
}

/** The period of `period` ending at `to`, on the local clock of `tz`. */
export function periodEnding(to: Date, period: Period, tz: string): { from: Date; to: Date } {
  const wall = wallOf(to.getTime(), tz);
  let from: number;
  if (period === 'month') {
    const w = new Date(wall);
    const y0 = w.getUTCMonth() === 0 ? w.getUTCFullYear() - 1 : w.getUTCFullYear();
    const m0 = (w.getUTCMonth() + 11) % 12;
    const last = new Date(Date.UTC(y0, m0 + 1, 0)).getUTCDate();
    from = Date.UTC(y0, m0, Math.min(w.getUTCDate(), last)) + (wall % DAY);
  } else from = wall - (period === 'week' ? 7 : 1) * DAY;
  return { from: new Date(instantOf(from, tz)), to };
}

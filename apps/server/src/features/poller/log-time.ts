import type { Row } from '@tod/routeros';

// The time of a `/log` line as RouterOS prints it: in the device's local time, without a zone, and shortened by
// age: `HH:MM:SS` today, `mmm/dd HH:MM:SS` earlier this year (v6, and v7 before 7.10), `mmm/dd/yyyy HH:MM:SS`
// (v6) or `YYYY-MM-DD HH:MM:SS` (v7.10+) for other years, and `MM-DD HH:MM:SS` (v7.10+ this year). The device's
// clock (`/system/clock`: date, time, gmt-offset) says which day "today" is and how far local time is from UTC.
//
// A line's time comes from the device's own clock text and offset, so the same line gives the same time at every
// read (what lets the database drop a line read twice). A clock more than 10 minutes off TOD's (no NTP: RouterBOARDs
// without a battery start in 1970) is corrected by that difference instead, measured at the read.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_MS = 86_400_000;
const MAX_SKEW_MS = 10 * 60_000;

export type LogTime = { h: number; m: number; s: number; month?: number; day?: number; year?: number };

/** The parts of a line's time text, or null when it is none of RouterOS's forms. */
export function parseLogTime(text: string | undefined): LogTime | null {
  if (!text) return null;
  const t = text.trim().toLowerCase();
  const hms = /(?:^| )(\d\d):(\d\d):(\d\d)$/.exec(t);
  if (!hms) return null;
  const time = { h: Number(hms[1]), m: Number(hms[2]), s: Number(hms[3]) };
  if (time.h > 23 || time.m > 59 || time.s > 60) return null;
  const date = t.slice(0, hms.index).trim();
  if (date === '') return time;
  let m = /^([a-z]{3})\/(\d\d)(?:\/(\d{4}))?$/.exec(date);
  if (m) {
    const month = MONTHS.indexOf(m[1] as string);
    if (month < 0) return null;
    return { ...time, month, day: Number(m[2]), ...(m[3] ? { year: Number(m[3]) } : {}) };
  }
  m = /^(?:(\d{4})-)?(\d\d)-(\d\d)$/.exec(date);
  if (m) return { ...time, month: Number(m[2]) - 1, day: Number(m[3]), ...(m[1] ? { year: Number(m[1]) } : {}) };
  return null;
}

/** The device's clock, read at `readAt` (TOD's time). `localMs`: its local date and time taken as if UTC. */
export type DeviceClock = { localMs: number; offsetMs: number; readAt: number };

/** `/system/clock/print` → the clock; undefined when its date or time is unreadable. */
export function clockOf(row: Row | undefined, readAt: number): DeviceClock | undefined {
  if (!row) return undefined;
  const t = parseLogTime(`${row.date ?? ''} ${row.time ?? ''}`);
  if (!t || t.year === undefined) return undefined;
  const off = /^([+-])(\d\d):?(\d\d)$/.exec(row['gmt-offset'] ?? '+00:00');
  const offsetMs = off ? (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3])) * 60_000 : 0;
  return { localMs: Date.UTC(t.year, t.month ?? 0, t.day ?? 1, t.h, t.m, t.s), offsetMs, readAt };
}

/** A line's time as an instant (ISO), or null when its text or the clock is unreadable. */
export function lineTime(text: string | undefined, clock: DeviceClock | undefined, now = Date.now()): string | null {
  const t = parseLogTime(text);
  if (!t || !clock) return null;
  const localNow = clock.localMs + (now - clock.readAt);
  const today = new Date(localNow);
  let ms: number;
  if (t.month === undefined) {
    ms = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), t.h, t.m, t.s);
    // Read just after midnight, a line of 23:59 is yesterday's.
    if (ms > localNow + 60_000) ms -= DAY_MS;
  } else if (t.year === undefined) {
    ms = Date.UTC(today.getUTCFullYear(), t.month, t.day ?? 1, t.h, t.m, t.s);
    if (ms > localNow + DAY_MS) ms = Date.UTC(today.getUTCFullYear() - 1, t.month, t.day ?? 1, t.h, t.m, t.s);
  } else ms = Date.UTC(t.year, t.month, t.day ?? 1, t.h, t.m, t.s);
  let utc = ms - clock.offsetMs;
  const skew = clock.localMs - clock.offsetMs - clock.readAt;
  if (Math.abs(skew) > MAX_SKEW_MS) utc -= Math.round(skew / 1000) * 1000;
  return Number.isFinite(utc) ? new Date(utc).toISOString() : null;
}

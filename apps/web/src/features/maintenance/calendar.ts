import type { MaintenanceWindow } from '@/api/maintenance-windows';
import { occurrencesBetween } from './occurrences';
import { DAY } from './zoned';

// The calendar-like list: what is open now, then the occurrences starting in the next days, grouped by the
// viewer's local day.

export type Slot = { window: MaintenanceWindow; start: number; end: number };
export type Day = { key: string; date: Date; slots: Slot[] };

export const DAYS_AHEAD = 14;

/** The viewer's local date of an instant, as a sortable key. */
const dayKey = (t: number) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function calendar(windows: MaintenanceWindow[], now: number, days = DAYS_AHEAD): { open: Slot[]; days: Day[] } {
  const horizon = now + days * DAY;
  // Open now: the server's word (`current`).
  const open = windows
    .flatMap((w) =>
      w.current ? [{ window: w, start: Date.parse(w.current.starts_at), end: Date.parse(w.current.ends_at) }] : [],
    )
    .sort((a, b) => a.end - b.end);
  const upcoming: Slot[] = [];
  for (const w of windows) {
    const starts = new Map<number, Slot>();
    for (const o of occurrencesBetween(w, now, horizon)) if (o.start > now) starts.set(o.start, { window: w, ...o });
    // The server's next occurrence is always shown, whatever the local reckoning says.
    if (w.next) {
      const start = Date.parse(w.next.starts_at);
      if (start < horizon) starts.set(start, { window: w, start, end: Date.parse(w.next.ends_at) });
    }
    upcoming.push(...starts.values());
  }
  upcoming.sort((a, b) => a.start - b.start || a.window.name.localeCompare(b.window.name));
  const byDay = new Map<string, Day>();
  for (const s of upcoming) {
    const key = dayKey(s.start);
    let d = byDay.get(key);
    if (!d) {
      d = { key, date: new Date(s.start), slots: [] };
      byDay.set(key, d);
    }
    d.slots.push(s);
  }
  return { open, days: [...byDay.values()] };
}

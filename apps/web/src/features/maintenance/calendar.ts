import type { MaintenanceWindow } from '@/api/maintenance-windows';

// The calendar-like list: what is open now, then the occurrences starting in the next days, grouped by the
// viewer's local day.

export type Slot = { window: MaintenanceWindow; start: number; end: number };
export type Day = { key: string; date: Date; slots: Slot[] };

/** The server lists this many days of upcoming occurrences (maintenance-windows UPCOMING_DAYS). */
export const DAYS_AHEAD = 14;

/** The viewer's local date of an instant, as a sortable key. */
const dayKey = (t: number) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** Open now (the server's `current`), then the occurrences the server lists as upcoming, by the viewer's local day. */
export function calendar(windows: MaintenanceWindow[]): { open: Slot[]; days: Day[] } {
  const slot = (window: MaintenanceWindow, o: { starts_at: string; ends_at: string }): Slot => ({
    window,
    start: Date.parse(o.starts_at),
    end: Date.parse(o.ends_at),
  });
  const open = windows.flatMap((w) => (w.current ? [slot(w, w.current)] : [])).sort((a, b) => a.end - b.end);
  const upcoming = windows.flatMap((w) => w.upcoming.map((o) => slot(w, o)));
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

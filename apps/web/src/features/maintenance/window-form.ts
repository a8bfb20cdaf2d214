import type { MaintenanceWindow, NewWindow, Weekday, WindowScope } from '@/api/maintenance-windows';
import { browserZone, DAY, fromLocalInput, localDate, toLocalInput, wallOf } from './zoned';

// The window dialog's values and the request made from them. Start and end are datetime-local values read in the
// window's time zone, whatever the browser's is.

export type Repeat = 'none' | 'daily' | 'weekly';
export type WindowForm = {
  name: string;
  start: string;
  end: string;
  timezone: string;
  repeat: Repeat;
  byDay: Weekday[];
  /** Last local date an occurrence may start (YYYY-MM-DD), or empty: never ends. */
  until: string;
  wholeOrganisation: boolean;
  scopes: WindowScope[];
};

const jsDay: readonly Weekday[] = ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'];

/** The local weekday of a datetime-local value. */
export const weekdayOfInput = (value: string): Weekday | null => {
  const t = Date.parse(`${value}:00Z`);
  return Number.isNaN(t) ? null : (jsDay[new Date(t).getUTCDay()] ?? null);
};

/** A new window: tonight 02:00–04:00 in the browser's zone, the whole organisation. */
function fresh(now: number): WindowForm {
  const timezone = browserZone();
  const tomorrow = Math.floor(wallOf(now, timezone) / DAY) * DAY + DAY;
  const at = (h: number) => new Date(tomorrow + h * 3_600_000).toISOString().slice(0, 16);
  return {
    name: '',
    start: at(2),
    end: at(4),
    timezone,
    repeat: 'none',
    byDay: [],
    until: '',
    wholeOrganisation: true,
    scopes: [],
  };
}

export function initialForm(w: MaintenanceWindow | null, now = Date.now()): WindowForm {
  if (!w) return fresh(now);
  const r = w.recurrence;
  const until = r?.until
    ? /^\d{4}-\d{2}-\d{2}$/.test(r.until)
      ? r.until
      : localDate(Date.parse(r.until), w.timezone)
    : '';
  const whole = w.scopes.some((s) => s.kind === 'organisation');
  return {
    name: w.name,
    start: toLocalInput(w.starts_at, w.timezone),
    end: toLocalInput(w.ends_at, w.timezone),
    timezone: w.timezone,
    repeat: r?.freq ?? 'none',
    byDay: r?.by_day ?? [],
    until,
    wholeOrganisation: whole,
    scopes: whole ? [] : w.scopes,
  };
}

/** The request body, or why the form cannot be sent yet. */
export function windowBody(f: WindowForm): { body: NewWindow } | { problem: string; field: string } {
  if (!f.name.trim()) return { problem: 'Give the window a name.', field: 'name' };
  const starts_at = fromLocalInput(f.start, f.timezone);
  const ends_at = fromLocalInput(f.end, f.timezone);
  if (!starts_at) return { problem: 'When does it start?', field: 'starts_at' };
  if (!ends_at) return { problem: 'When does it end?', field: 'ends_at' };
  if (f.repeat === 'weekly' && f.byDay.length === 0) return { problem: 'Pick at least one weekday.', field: 'by_day' };
  if (!f.wholeOrganisation && f.scopes.length === 0)
    return { problem: 'Choose what it covers, or the whole organisation.', field: 'scopes' };
  const recurrence =
    f.repeat === 'none'
      ? null
      : {
          freq: f.repeat,
          ...(f.repeat === 'weekly' ? { by_day: f.byDay } : {}),
          ...(f.until ? { until: f.until } : {}),
        };
  return {
    body: {
      name: f.name.trim(),
      starts_at,
      ends_at,
      timezone: f.timezone,
      recurrence,
      scopes: f.wholeOrganisation
        ? [{ kind: 'organisation' }]
        : f.scopes.map((s) => ({ kind: s.kind, ...(s.id ? { id: s.id } : {}) })),
    },
  };
}

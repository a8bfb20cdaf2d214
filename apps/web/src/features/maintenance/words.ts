import type { MaintenanceWindow, Weekday, WindowScope } from '@/api/maintenance-windows';

export const weekdays: readonly (readonly [Weekday, string, string])[] = [
  ['mo', 'Mon', 'Monday'],
  ['tu', 'Tue', 'Tuesday'],
  ['we', 'Wed', 'Wednesday'],
  ['th', 'Thu', 'Thursday'],
  ['fr', 'Fri', 'Friday'],
  ['sa', 'Sat', 'Saturday'],
  ['su', 'Sun', 'Sunday'],
];
const short = new Map(weekdays.map(([d, s]) => [d, s]));

/** "Once", "Every day", "Every week on Mon, Thu", with "until …" when the series ends. */
export function repeatText(w: Pick<MaintenanceWindow, 'recurrence'>): string {
  const r = w.recurrence;
  if (!r) return 'Once';
  const base =
    r.freq === 'daily' ? 'Every day' : `Every week on ${(r.by_day ?? []).map((d) => short.get(d) ?? d).join(', ')}`;
  if (!r.until) return base;
  const until = /^\d{4}-\d{2}-\d{2}$/.test(r.until) ? r.until : new Date(r.until).toLocaleDateString();
  return `${base}, until ${until}`;
}

const kindWord: Record<WindowScope['kind'], [string, string]> = {
  organisation: ['organisation', 'organisations'],
  device: ['device', 'devices'],
  group: ['group', 'groups'],
  tag: ['tag', 'tags'],
  site: ['site', 'sites'],
  sector: ['sector', 'sectors'],
};

/** What a window covers: "Whole organisation", or the names of its devices, groups, tags and sites. */
export function scopeText(scopes: WindowScope[], nameOf: (s: WindowScope) => string | undefined): string {
  if (scopes.some((s) => s.kind === 'organisation')) return 'Whole organisation';
  const names = scopes.map((s) => {
    const n = nameOf(s);
    return n ? `${kindWord[s.kind][0]} ${n}` : undefined;
  });
  if (names.every(Boolean) && names.length <= 3) return names.join(', ');
  // Many, or some no longer known by name: counts per kind.
  const counts = new Map<WindowScope['kind'], number>();
  for (const s of scopes) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${kindWord[k][n === 1 ? 0 : 1]}`).join(', ');
}

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** "02:00–04:00", or with the end's day when it ends on another local day. */
export function spanText(start: number, end: number): string {
  const sameDay = new Date(start).toDateString() === new Date(end).toDateString();
  return `${time.format(start)}–${sameDay ? time.format(end) : dayTime.format(end)}`;
}

/** When an open occurrence ends: "until 04:00", or with its day when that is not today. */
export function untilText(end: number): string {
  const today = new Date().toDateString() === new Date(end).toDateString();
  return `until ${today ? time.format(end) : dayTime.format(end)}`;
}

/** The same span on the window's own clock, when that is not the browser's: "02:00–04:00 Europe/Berlin". */
export function zoneSpanText(start: number, end: number, tz: string): string | null {
  if (tz === Intl.DateTimeFormat().resolvedOptions().timeZone) return null;
  const f = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: tz });
  return `${f.format(start)}–${f.format(end)} ${tz}`;
}

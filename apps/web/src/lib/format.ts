const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const dtf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "3 minutes ago", "yesterday"; a dash for never. */
export function ago(iso: string | null | undefined): string {
  if (!iso) return '—';
  const s = (new Date(iso).getTime() - Date.now()) / 1000;
  const abs = Math.abs(s);
  if (abs < 45) return 'just now';
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  if (abs < 86400 * 30) return rtf.format(Math.round(s / 86400), 'day');
  return dtf.format(new Date(iso));
}

export function dateTime(iso: string | null | undefined): string {
  return iso ? dtf.format(new Date(iso)) : '—';
}

export const roleLabel: Record<string, string> = {
  super_admin: 'Super admin',
  admin: 'Admin',
  operator: 'Operator',
  viewer: 'Viewer',
};

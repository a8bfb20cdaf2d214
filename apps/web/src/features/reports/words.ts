import type { ApiError } from '@/api/errors';
import type { Report, ReportKind, ReportStatus, SchedulePeriod } from '@/api/reports';
import { bytes } from '../fleet/format';

// Reports and schedules in words: kinds, statuses, periods and the headline figures of a finished report.

export const kindLabel: Record<ReportKind, string> = {
  fleet: 'Fleet',
  device: 'Device',
  compliance: 'Compliance',
  sla: 'SLA',
};

export const kindHint: Record<ReportKind, string> = {
  fleet: 'Status, models, RouterOS versions, availability, alerts and backups of the whole fleet (or one site).',
  device: "One router's health, availability, interfaces, alerts and changes.",
  compliance: 'Outdated RouterOS, weak credentials, exposed services, missing input drop rules and config drift.',
  sla: 'Availability of each device against a target, with the downtime that missed it.',
};

export const kindText = (k: string) => kindLabel[k as ReportKind] ?? k;

export const statusWord: Record<ReportStatus, { label: string; tone: 'neutral' | 'info' | 'success' | 'danger' }> = {
  queued: { label: 'Queued', tone: 'neutral' },
  running: { label: 'Rendering', tone: 'info' },
  done: { label: 'Done', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
};

export const periodLabel: Record<SchedulePeriod, string> = { day: 'Daily', week: 'Weekly', month: 'Monthly' };
export const periodSpan: Record<SchedulePeriod, string> = {
  day: 'the day before it',
  week: 'the 7 days before it',
  month: 'the month before it',
};

/** The name the server gives a schedule saved without one ("Weekly fleet report"). */
export const defaultName = (period: SchedulePeriod, kind: ReportKind) =>
  `${periodLabel[period]} ${{ fleet: 'fleet', device: 'device health', compliance: 'compliance', sla: 'SLA' }[kind]} report`;

const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "12 May 2025 – 19 May 2025", or one date when the period is within a day. */
export function periodText(r: Report): string {
  const from = day.format(new Date(r.params.from));
  // `to` is exclusive: a period ending at midnight ends on the day before.
  const to = day.format(new Date(Date.parse(r.params.to) - 1));
  const span = from === to ? from : `${from} – ${to}`;
  return r.params.period ? `${periodLabel[r.params.period]} · ${span}` : span;
}

export const sizeText = (r: Report) => (r.size === null ? '—' : bytes(r.size));

const pct = (v: unknown) => (typeof v === 'number' ? `${v.toFixed(v >= 99 ? 2 : 1)}%` : null);
const count = (v: unknown, one: string, many = `${one}s`) =>
  typeof v === 'number' ? `${v} ${v === 1 ? one : many}` : null;

/** The finished report's headline figures (the server's summary), in a few words. */
export function headline(r: Report): string {
  const s = r.summary;
  if (r.status !== 'done' || !s) return '';
  const parts: (string | null)[] = [];
  if (r.kind === 'device') parts.push(typeof s.device === 'string' ? s.device : null);
  else parts.push(count(s.devices, 'device'));
  if (r.kind === 'compliance') {
    parts.push(count(s.outdated, 'outdated'), count(s.weak_credentials, 'weak login', 'weak logins'));
  } else {
    const a = pct(s.availability_pct);
    parts.push(a ? `${a} available` : null);
  }
  if (r.kind === 'sla' && typeof s.met === 'boolean') parts.push(s.met ? 'target met' : 'target missed');
  return parts.filter(Boolean).join(' · ');
}

/** Recipients as typed: separated by commas, semicolons, spaces or lines. */
export const recipientList = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

/** The server's message for a field of the request body, or one of its parts (`recipients.2`, `params.device_id`). */
export function fieldError(err: ApiError | null, name: string): string | undefined {
  if (!err) return undefined;
  const path = `body.${name}`;
  return err.fieldErrors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
}

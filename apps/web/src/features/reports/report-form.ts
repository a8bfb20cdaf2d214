import type { NewReport, ReportFormat, ReportKind } from '@/api/reports';
import { emptyScope, type Scope, scopeFields } from './scope-fields';

// The "New report" dialog's values and the request made from them. The period is whole local days: from the start
// of the first to the end of the last, or now when the last is today (a report of hours still to come would count
// them as unknown).

export type ReportForm = {
  kind: ReportKind;
  /** YYYY-MM-DD, local. */
  from: string;
  to: string;
  scope: Scope;
  format: ReportFormat;
};

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
/** A local date as a date input's value. */
export const dateInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The last 7 days, up to now. */
export function initialForm(now = new Date()): ReportForm {
  return {
    kind: 'fleet',
    from: dateInput(new Date(now.getTime() - 7 * DAY)),
    to: dateInput(now),
    scope: emptyScope,
    format: 'pdf',
  };
}

/** Local midnight starting `date` (YYYY-MM-DD), or null for an empty or invalid input. */
function startOf(date: string): Date | null {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00`) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

/** The request body. A missing date is sent empty: the server names the field, and the dialog shows it there. */
export function reportBody(f: ReportForm, now = new Date()): NewReport {
  const from = startOf(f.from);
  const toDay = startOf(f.to);
  // The day after the last one (a local midnight, whatever the clock change), or now for today.
  const end = toDay ? new Date(toDay.getFullYear(), toDay.getMonth(), toDay.getDate() + 1) : null;
  const to = end && end > now ? now : end;
  return {
    kind: f.kind,
    format: f.format,
    from: from ? from.toISOString() : '',
    to: to ? to.toISOString() : '',
    ...scopeFields(f.kind, f.scope),
  };
}

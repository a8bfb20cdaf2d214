import {
  type NewSchedule,
  type ReportFormat,
  type ReportKind,
  type ReportSchedule,
  reportFormats,
  reportKinds,
  type SchedulePeriod,
} from '@/api/reports';
import { browserZone } from '../maintenance/zoned';
import { emptyScope, type Scope, scopeFields } from './scope-fields';
import { recipientList } from './words';

// The schedule dialog's values and the request bodies made from them. The cron expression and the zone go to the
// server as typed: it says what is wrong with them, at their field.

export type ScheduleForm = {
  /** Empty: the server names it after the kind and period ("Weekly fleet report"). */
  name: string;
  kind: ReportKind;
  cron: string;
  timezone: string;
  /** Addresses separated by commas, spaces or lines. */
  recipients: string;
  period: SchedulePeriod;
  format: ReportFormat;
  enabled: boolean;
  scope: Scope;
};

/** A new schedule: Mondays at 07:00 on the browser's clock, covering the week before. */
export function initialForm(s: ReportSchedule | null): ScheduleForm {
  if (!s)
    return {
      name: '',
      kind: 'fleet',
      cron: '0 7 * * 1',
      timezone: browserZone(),
      recipients: '',
      period: 'week',
      format: 'pdf',
      enabled: true,
      scope: emptyScope,
    };
  return {
    name: s.name,
    kind: reportKinds.find((k) => k === s.kind) ?? 'fleet',
    cron: s.cron,
    timezone: s.timezone,
    recipients: s.recipients.join('\n'),
    period: s.params.period,
    format: reportFormats.find((x) => x === s.format) ?? 'pdf',
    enabled: s.enabled,
    scope: {
      deviceId: s.params.device_id ?? '',
      siteId: s.params.site_id ?? '',
      target: s.params.target_pct === undefined ? emptyScope.target : String(s.params.target_pct),
    },
  };
}

/** The request body; an edit sends every field too (a schedule is small), the name only when one is typed. */
export function scheduleBody(f: ScheduleForm): NewSchedule {
  const name = f.name.trim();
  return {
    ...(name ? { name } : {}),
    kind: f.kind,
    format: f.format,
    cron: f.cron.trim(),
    timezone: f.timezone,
    recipients: recipientList(f.recipients),
    params: { period: f.period, ...scopeFields(f.kind, f.scope) },
    enabled: f.enabled,
  };
}

import { z } from 'zod';
import { listCursor, TIME_KEY } from '../../platform/http/cursor.js';
import { email, listQuery, name, nullableTimestamp, page, timestamp } from '../../platform/http/schemas.js';
import { reportKinds } from './content/index.js';
import { canonicalZone, cronProblem, periods } from './schedule.js';

// Reports and report schedules: request bodies (strict: an unknown field is a 422) and responses.

export const reportFormats = ['pdf', 'csv'] as const;
export const reportStatuses = ['queued', 'running', 'done', 'failed'] as const;

/** The longest period one report may cover. */
export const MAX_PERIOD_DAYS = 366;
export const MAX_RECIPIENTS = 20;

const instant = z.iso.datetime({ offset: true });
const kind = z.enum(reportKinds);
const format = z.enum(reportFormats);
const targetPct = z.number().gt(0).max(100).describe('SLA target in percent (default 99.9)');

export const reportCreate = z
  .strictObject({
    kind,
    format: format.default('pdf'),
    from: instant.describe('start of the period (ISO 8601 with offset)'),
    to: instant.describe('end of the period'),
    device_id: z.uuid().optional().describe('the device of a `device` report (required there)'),
    site_id: z.uuid().optional().describe('limits a fleet, compliance or SLA report to one site'),
    target_pct: targetPct.optional(),
  })
  .superRefine((b, ctx) => {
    const from = Date.parse(b.from);
    const to = Date.parse(b.to);
    if (!(to > from)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (to - from > MAX_PERIOD_DAYS * 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `a report covers at most ${MAX_PERIOD_DAYS} days` });
    if (b.kind === 'device' && !b.device_id)
      ctx.addIssue({ code: 'custom', path: ['device_id'], message: 'a device report needs device_id' });
  });
export type ReportCreate = z.infer<typeof reportCreate>;

/** What a report list cursor names as its sort (newest first). */
export const REPORTS_CURSOR = 'reports';
export const reportListQuery = z.strictObject({
  ...listQuery,
  kind: kind.optional(),
  status: z.enum(reportStatuses).optional(),
  schedule_id: z.uuid().optional(),
  cursor: listCursor(REPORTS_CURSOR, TIME_KEY)
    .optional()
    .describe('next_cursor of the previous page (same filters); replaces offset'),
});
export type ReportListQuery = z.infer<typeof reportListQuery>;

export const reportAccepted = z.object({ report_id: z.uuid(), status: z.enum(reportStatuses) });

const requester = z.object({
  type: z.enum(['user', 'api_key', 'schedule', 'system']),
  id: z.string().nullable(),
  label: z.string(),
});

export const reportItem = z.object({
  id: z.uuid(),
  kind: z.string(),
  format: z.string(),
  status: z.enum(reportStatuses),
  error_code: z.string().nullable(),
  error: z.string().nullable().describe('why it failed, when it did'),
  params: z.object({
    from: timestamp,
    to: timestamp,
    device_id: z.string().nullable(),
    site_id: z.string().nullable(),
    target_pct: z.number().nullable(),
    period: z.enum(periods).nullable().describe('a scheduled report: the period ending at its run time'),
  }),
  file_name: z.string().nullable(),
  content_type: z.string().nullable(),
  size: z.number().int().nullable().describe('bytes of the file'),
  summary: z.record(z.string(), z.unknown()).nullable().describe('headline figures, from the report content'),
  requested_by: requester.nullable().describe('who asked: a person, an API key, or a schedule'),
  schedule_id: z.uuid().nullable(),
  scheduled_for: nullableTimestamp,
  created_at: timestamp,
  started_at: nullableTimestamp,
  finished_at: nullableTimestamp,
  email: z
    .object({
      recipients: z.number().int(),
      emailed_at: nullableTimestamp,
      attempts: z.number().int(),
      error: z.string().nullable(),
    })
    .nullable()
    .describe('a scheduled report with recipients: its email'),
  policies: z.object({ download: z.boolean(), delete: z.boolean() }),
});
export type ReportItem = z.infer<typeof reportItem>;
export const reportPage = page(reportItem).extend({
  /** False when the count stopped at 10,000: the total is then a lower bound. */
  total_exact: z.boolean(),
  /** Where the next page starts (`cursor=`, same filters), null on the last page. */
  next_cursor: z.string().nullable(),
});

// ----- schedules

const cron = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .superRefine((c, ctx) => {
    const problem = cronProblem(c);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('five fields: minute hour day-of-month month day-of-week, in `timezone`; at most once an hour');
const timezone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .superRefine((tz, ctx) => {
    if (!canonicalZone(tz)) ctx.addIssue({ code: 'custom', message: `unknown time zone ${tz}` });
  })
  .describe('IANA time zone, e.g. Europe/Berlin');
const recipients = z
  .array(email)
  .max(MAX_RECIPIENTS)
  .transform((list) => [...new Set(list)])
  .describe(`email addresses the report is sent to (at most ${MAX_RECIPIENTS})`);

export const scheduleParams = z.strictObject({
  period: z
    .enum(periods)
    .default('week')
    .describe('each run covers this period ending at its run time, on the local clock of `timezone`'),
  device_id: z.uuid().optional(),
  site_id: z.uuid().optional(),
  target_pct: targetPct.optional(),
});

const scheduleFields = {
  name,
  kind,
  format,
  cron,
  timezone,
  recipients,
  params: scheduleParams,
  enabled: z.boolean(),
};

export const scheduleCreate = z
  .strictObject({
    ...scheduleFields,
    name: name.optional().describe('default: the kind and period, e.g. "Weekly fleet report"'),
    format: format.default('pdf'),
    timezone: timezone.default('UTC'),
    params: scheduleParams.default({ period: 'week' }),
    enabled: z.boolean().default(true),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'device' && !b.params.device_id)
      ctx.addIssue({ code: 'custom', path: ['params', 'device_id'], message: 'a device report needs device_id' });
  });
export type ScheduleCreate = z.infer<typeof scheduleCreate>;

export const scheduleUpdate = z
  .strictObject(scheduleFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');
export type ScheduleUpdate = z.infer<typeof scheduleUpdate>;

export const scheduleListQuery = z.strictObject(listQuery);

export const scheduleItem = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.string(),
  format: z.string(),
  cron: z.string(),
  timezone: z.string(),
  recipients: z.array(z.string()),
  params: z.object({
    period: z.enum(periods),
    device_id: z.string().optional(),
    site_id: z.string().optional(),
    target_pct: z.number().optional(),
  }),
  enabled: z.boolean(),
  next_run_at: nullableTimestamp.describe('null while disabled'),
  last_run_at: nullableTimestamp,
  last_report_id: z.uuid().nullable(),
  created_by: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  policies: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type ScheduleItem = z.infer<typeof scheduleItem>;

import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { type LiveInvalidations, mutation } from './mutation';
import type { Body, Json } from './types';

// Reports (fleet, device, compliance, SLA; PDF or CSV): asked for here, rendered in the background by the worker
// role, downloaded once done. Schedules render one on a cron expression and email it to their recipients.

const LIST = '/api/tenants/{tenant_id}/reports';
const ONE = '/api/tenants/{tenant_id}/reports/{report_id}';
const SCHEDULES = '/api/tenants/{tenant_id}/report-schedules';
const SCHEDULE = '/api/tenants/{tenant_id}/report-schedules/{schedule_id}';

export type Report = Json<typeof LIST, 'get', 200>['items'][number];
export type ReportStatus = Report['status'];
export type NewReport = Body<typeof LIST, 'post'>;
export type ReportKind = NewReport['kind'];
export type ReportFormat = NonNullable<NewReport['format']>;
export type ReportSchedule = Json<typeof SCHEDULES, 'get', 200>['items'][number];
export type SchedulePeriod = ReportSchedule['params']['period'];
export type NewSchedule = Body<typeof SCHEDULES, 'post'>;
export type ScheduleChange = Body<typeof SCHEDULE, 'patch'>;

export const reportKinds: readonly ReportKind[] = ['fleet', 'device', 'compliance', 'sla'];
export const reportFormats: readonly ReportFormat[] = ['pdf', 'csv'];
export const schedulePeriods: readonly SchedulePeriod[] = ['day', 'week', 'month'];

/** Waiting for a worker or rendering: the list keeps looking until it is done or failed. */
export const isMoving = (s: ReportStatus) => s === 'queued' || s === 'running';

export const reportKeys = {
  all: (t: string) => ['reports', t] as const,
  list: (t: string) => ['reports', t, 'list'] as const,
  schedules: (t: string) => ['reports', t, 'schedules'] as const,
};

const tenant = (t: string) => ({ path: { tenant_id: t } });

/** The file of a done report: same origin, authorised by the session cookie, so a plain <a href download> works. */
export const reportFileUrl = (t: string, id: string) => `/api/tenants/${t}/reports/${id}/file`;

/** The newest reports; a report renders in seconds, and retention deletes old ones, so 100 covers what people read. */
export const REPORTS_SHOWN = 100;
/** While one is queued or rendering: covers a live stream that is reconnecting (report.updated says when it moves). */
const movingPoll = 2000;

export function reportsQuery(tenantId: string) {
  return queryOptions({
    queryKey: reportKeys.list(tenantId),
    queryFn: () => unwrap(api.GET(LIST, { params: { ...tenant(tenantId), query: { limit: REPORTS_SHOWN } } })),
    refetchInterval: (q) => (q.state.data?.items.some((r) => isMoving(r.status)) ? movingPoll : false),
  });
}

/** Every schedule of the organisation (an organisation keeps a handful). */
export function schedulesQuery(tenantId: string) {
  return queryOptions({
    queryKey: reportKeys.schedules(tenantId),
    queryFn: () => unwrap(api.GET(SCHEDULES, { params: { ...tenant(tenantId), query: { limit: 500 } } })),
  });
}

/**
 * A report queued, started, finished, failed, emailed or deleted (by anyone, or by a schedule): the list refreshes,
 * and a scheduled one moves its schedule's last run.
 */
export const reportsLive: LiveInvalidations = {
  'report.updated': (t, m) => (m.schedule_id ? [reportKeys.list(t), reportKeys.schedules(t)] : [reportKeys.list(t)]),
};

/** Queued (202): the list shows it and polls until it is done. */
export const createReport = mutation({
  run: (v: { tenantId: string; body: NewReport }) =>
    unwrap(api.POST(LIST, { params: tenant(v.tenantId), body: v.body })),
  invalidates: (v) => [reportKeys.list(v.tenantId)],
});

export const deleteReport = mutation({
  run: (v: { tenantId: string; report: Report }) =>
    unwrap(api.DELETE(ONE, { params: { path: { tenant_id: v.tenantId, report_id: v.report.id } } })),
  invalidates: (v) => [reportKeys.list(v.tenantId)],
});

const schedule = (t: string, id: string) => ({ path: { tenant_id: t, schedule_id: id } });

export const createSchedule = mutation({
  run: (v: { tenantId: string; body: NewSchedule }) =>
    unwrap(api.POST(SCHEDULES, { params: tenant(v.tenantId), body: v.body })),
  invalidates: (v) => [reportKeys.schedules(v.tenantId)],
});

export const updateSchedule = mutation({
  run: (v: { tenantId: string; id: string; body: ScheduleChange }) =>
    unwrap(api.PATCH(SCHEDULE, { params: schedule(v.tenantId, v.id), body: v.body })),
  invalidates: (v) => [reportKeys.schedules(v.tenantId)],
});

/** Its reports stay (they name the schedule no more). */
export const deleteSchedule = mutation({
  run: (v: { tenantId: string; schedule: ReportSchedule }) =>
    unwrap(api.DELETE(SCHEDULE, { params: schedule(v.tenantId, v.schedule.id) })),
  invalidates: (v) => [reportKeys.all(v.tenantId)],
});

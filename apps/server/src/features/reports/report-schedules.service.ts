import type pg from 'pg';
import { assertCan, can } from '../../platform/auth/permissions.js';
import { type Actor, actorId, actorLabel } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { type ScheduleParams, type ScheduleRow, type ScheduleWrite, schedulesRepo } from './report-schedules.repo.js';
import type { ScheduleCreate, ScheduleItem, ScheduleUpdate } from './reports.schema.js';
import { checkRefs, type ReportRefs } from './reports.service.js';
import { canonicalZone, cronProblem, nextRunAfter } from './schedule.js';

// Report schedules: a report of a kind, on a cron expression in a time zone, emailed to up to 20 recipients. Writing
// one is an admin's: it sends the organisation's data outside TOD.

const periodWord = { day: 'Daily', week: 'Weekly', month: 'Monthly' } as const;
const kindWord: Record<string, string> = {
  fleet: 'fleet',
  device: 'device health',
  compliance: 'compliance',
  sla: 'SLA',
};

function present(actor: Actor, s: ScheduleRow): ScheduleItem {
  const write = can(actor.principal, 'report_schedules.write');
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    format: s.format,
    cron: s.cron,
    timezone: s.timezone,
    recipients: s.recipients,
    params: s.params,
    enabled: s.enabled,
    next_run_at: s.next_run_at?.toISOString() ?? null,
    last_run_at: s.last_run_at?.toISOString() ?? null,
    last_report_id: s.last_report_id,
    created_by: s.created_by,
    created_at: s.created_at.toISOString(),
    updated_at: s.updated_at.toISOString(),
    policies: { update: write, delete: write },
  };
}

/** The checks a schema cannot make alone: the cron's spacing in its zone, a device report's device, the refs. */
async function checked(
  refs: ReportRefs,
  actor: Actor,
  s: Omit<ScheduleWrite, 'next_run_at'>,
  now: Date,
): Promise<ScheduleWrite> {
  const timezone = canonicalZone(s.timezone);
  if (!timezone)
    throw new AppError('validation_failed', `unknown time zone ${s.timezone}`, [
      { path: 'body.timezone', message: 'unknown time zone' },
    ]);
  const problem = cronProblem(s.cron, timezone);
  if (problem) throw new AppError('validation_failed', `cron: ${problem}`, [{ path: 'body.cron', message: problem }]);
  if (s.kind === 'device' && !s.params.device_id)
    throw new AppError('validation_failed', 'a device report needs params.device_id', [
      { path: 'body.params.device_id', message: 'required for a device report' },
    ]);
  await checkRefs(refs, actor, s.params);
  return { ...s, timezone, next_run_at: s.enabled ? nextRunAfter(s.cron, timezone, now) : null };
}

export function createReportSchedulesService(deps: { appPool: pg.Pool; refs: ReportRefs; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, actor.tenantId, fn);
  const audit = (db: pg.PoolClient, actor: Actor, verb: string, s: ScheduleRow, details: Record<string, unknown>) =>
    recordAudit(db, actor, {
      action: `report_schedule.${verb}`,
      targetType: 'report_schedule',
      targetId: s.id,
      details,
    });

  return {
    async list(actor: Actor, q: { limit: number; offset: number }) {
      assertCan(actor, 'report_schedules.read');
      const r = await inTenant(actor, (db) => schedulesRepo.list(db, q));
      return { items: r.rows.map((s) => present(actor, s)), total: r.total, limit: q.limit, offset: q.offset };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'report_schedules.read');
      const s = await inTenant(actor, (db) => schedulesRepo.get(db, id));
      if (!s) throw notFound('report schedule');
      return present(actor, s);
    },

    async create(actor: Actor, body: ScheduleCreate) {
      assertCan(actor, 'report_schedules.write');
      const params = body.params as ScheduleParams;
      const write = await checked(
        deps.refs,
        actor,
        {
          name: body.name ?? `${periodWord[params.period]} ${kindWord[body.kind] ?? body.kind} report`,
          kind: body.kind,
          format: body.format,
          cron: body.cron,
          timezone: body.timezone,
          recipients: body.recipients,
          params,
          enabled: body.enabled,
        },
        now(),
      );
      const p = actor.principal;
      const s = await inTenant(actor, async (db) => {
        const s = await schedulesRepo.insert(db, actor.tenantId!, write, { id: actorId(p), label: actorLabel(p) });
        await audit(db, actor, 'create', s, { ...write, next_run_at: undefined });
        return s;
      });
      return present(actor, s);
    },

    async update(actor: Actor, id: string, body: ScheduleUpdate) {
      assertCan(actor, 'report_schedules.write');
      const s = await inTenant(actor, async (db) => {
        const old = await schedulesRepo.get(db, id, true);
        if (!old) throw notFound('report schedule');
        const merged = {
          name: body.name ?? old.name,
          kind: body.kind ?? old.kind,
          format: body.format ?? old.format,
          cron: body.cron ?? old.cron,
          timezone: body.timezone ?? old.timezone,
          recipients: body.recipients ?? old.recipients,
          params: (body.params as ScheduleParams | undefined) ?? old.params,
          enabled: body.enabled ?? old.enabled,
        };
        const write = await checked(deps.refs, actor, merged, now());
        // Only a change of when it runs moves the next run: renaming a schedule must not skip or repeat one.
        const timing = merged.cron !== old.cron || write.timezone !== old.timezone || merged.enabled !== old.enabled;
        const s = (await schedulesRepo.update(db, id, {
          ...write,
          next_run_at: timing || (write.enabled && !old.next_run_at) ? write.next_run_at : old.next_run_at,
        }))!;
        await audit(db, actor, 'update', s, body);
        return s;
      });
      return present(actor, s);
    },

    async remove(actor: Actor, id: string) {
      assertCan(actor, 'report_schedules.write');
      await inTenant(actor, async (db) => {
        const s = await schedulesRepo.delete(db, id);
        if (!s) throw notFound('report schedule');
        await audit(db, actor, 'delete', s, { name: s.name, kind: s.kind });
      });
    },
  };
}
export type ReportSchedulesService = ReturnType<typeof createReportSchedulesService>;

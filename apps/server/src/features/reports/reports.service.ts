import type pg from 'pg';
import { assertCan, can } from '../../platform/auth/permissions.js';
import { type Actor, actorId, actorLabel } from '../../platform/auth/principal.js';
import { roleAtLeast } from '../../platform/auth/roles.js';
import { withTenant } from '../../platform/db/tx.js';
import { recordEvent } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/events/uuid7.js';
import { COUNT_CAP, cappedTotal, encodeCursor } from '../../platform/http/cursor.js';
import { AppError, forbidden, notFound } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useBy } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import { openReport } from './file.js';
import { reportEvent } from './live.js';
import { type ReportRow, type Requester, reportsRepo, type StoredParams } from './reports.repo.js';
import { REPORTS_CURSOR, type ReportCreate, type ReportItem, type ReportListQuery } from './reports.schema.js';

// Reports on request: queued here (202), rendered by the worker role (runner.ts), downloaded once done. An
// organisation may have at most `queueCap` reports waiting or rendering: a report costs CPU.

/** Whether the things a report names exist in the caller's organisation (the devices and sites services). */
export type ReportRefs = {
  deviceExists: (actor: Actor, id: string) => Promise<boolean>;
  siteExists: (actor: Actor, id: string) => Promise<boolean>;
};

export const requesterOf = (actor: Actor): Requester => {
  const p = actor.principal;
  return { type: p.kind, id: actorId(p), label: actorLabel(p) };
};

/** Throws the content's 404 codes for a device or site the organisation does not have. */
export async function checkRefs(refs: ReportRefs, actor: Actor, p: { device_id?: string; site_id?: string }) {
  if (p.device_id && !(await refs.deviceExists(actor, p.device_id)))
    throw new AppError('report_device_not_found', 'no such device in this organisation');
  if (p.site_id && !(await refs.siteExists(actor, p.site_id)))
    throw new AppError('report_site_not_found', 'no such site in this organisation');
}

/** Operators delete the reports they asked for; admins any. */
function canDelete(actor: Actor, r: ReportRow): boolean {
  const p = actor.principal;
  if (!can(p, 'reports.delete')) return false;
  if (p.kind === 'user' && roleAtLeast(p.role, 'admin')) return true;
  if (p.kind === 'system') return true;
  return r.requested_by !== null && r.requested_by.type === p.kind && r.requested_by.id === actorId(p);
}

export function presentReport(actor: Actor, r: ReportRow): ReportItem {
  const p = r.params;
  return {
    id: r.id,
    kind: r.kind,
    format: r.format,
    status: r.status,
    error_code: r.error_code,
    error: r.error,
    params: {
      from: new Date(p.from).toISOString(),
      to: new Date(p.to).toISOString(),
      device_id: p.device_id ?? null,
      site_id: p.site_id ?? null,
      target_pct: p.target_pct ?? null,
      period: (p.period as ReportItem['params']['period']) ?? null,
    },
    file_name: r.file_name,
    content_type: r.content_type,
    size: r.size,
    summary: r.summary,
    requested_by: r.requested_by,
    schedule_id: r.schedule_id,
    scheduled_for: r.scheduled_for?.toISOString() ?? null,
    created_at: r.created_at.toISOString(),
    started_at: r.started_at?.toISOString() ?? null,
    finished_at: r.finished_at?.toISOString() ?? null,
    email:
      r.email_to.length > 0
        ? {
            recipients: r.email_to.length,
            emailed_at: r.emailed_at?.toISOString() ?? null,
            attempts: r.email_attempts,
            error: r.email_error,
          }
        : null,
    policies: { download: r.status === 'done', delete: canDelete(actor, r) },
  };
}

export function createReportsService(deps: {
  appPool: pg.Pool;
  envelope: Envelope;
  refs: ReportRefs;
  /** Reports an organisation may have queued or running at once. */
  queueCap: number;
  /** A report was queued (the runner of this process, if any, looks at once). */
  onQueued?: () => void;
}) {
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, actor.tenantId, fn);

  return {
    async list(actor: Actor, q: ReportListQuery) {
      assertCan(actor, 'reports.read');
      const after = q.cursor ? { k: q.cursor.k, id: q.cursor.id } : undefined;
      const r = await inTenant(actor, (db) => reportsRepo.list(db, { ...q, after, countCap: COUNT_CAP }));
      const last = r.rows.length === q.limit ? r.rows.at(-1) : undefined;
      return {
        items: r.rows.map((x) => presentReport(actor, x)),
        ...cappedTotal(r.total),
        limit: q.limit,
        offset: after ? 0 : q.offset,
        next_cursor: last ? encodeCursor({ s: REPORTS_CURSOR, k: last.cursor_k, id: last.id }) : null,
      };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'reports.read');
      const r = await inTenant(actor, (db) => reportsRepo.get(db, id));
      if (!r) throw notFound('report');
      return presentReport(actor, r);
    },

    async create(actor: Actor, body: ReportCreate) {
      assertCan(actor, 'reports.create');
      await checkRefs(deps.refs, actor, body);
      const params: StoredParams = {
        from: new Date(body.from).toISOString(),
        to: new Date(body.to).toISOString(),
        ...(body.device_id ? { device_id: body.device_id } : {}),
        ...(body.site_id ? { site_id: body.site_id } : {}),
        ...(body.target_pct !== undefined ? { target_pct: body.target_pct } : {}),
      };
      const tenantId = actor.tenantId!;
      const row = await inTenant(actor, async (db) => {
        if ((await reportsRepo.activeCount(db, tenantId)) >= deps.queueCap)
          throw new AppError(
            'report_queue_full',
            `this organisation already has ${deps.queueCap} reports waiting or rendering; try again when they are done`,
          );
        const row = await reportsRepo.insert(db, {
          id: uuidv7(),
          tenant_id: tenantId,
          kind: body.kind,
          format: body.format,
          params,
          requested_by: requesterOf(actor),
        });
        await recordAudit(db, actor, {
          action: 'report.create',
          targetType: 'report',
          targetId: row.id,
          details: { kind: body.kind, format: body.format, ...params },
        });
        await recordEvent(db, reportEvent(row));
        return row;
      });
      deps.onQueued?.();
      return { report_id: row.id, status: row.status };
    },

    /** The file of a done report, opened with the organisation's key. */
    async file(actor: Actor, id: string) {
      assertCan(actor, 'reports.read');
      const r = await inTenant(actor, (db) => reportsRepo.withFile(db, id));
      if (!r) throw notFound('report');
      if (r.status !== 'done' || !r.file)
        throw new AppError(
          'report_not_ready',
          r.status === 'failed'
            ? 'the report failed; it has no file'
            : `the report is ${r.status}; try again when done`,
        );
      const data = await openReport(deps.envelope, r.tenant_id, r.id, r.file, useBy(actor, 'download'));
      return {
        data,
        fileName: r.file_name ?? `report-${r.id}`,
        contentType: r.content_type ?? 'application/octet-stream',
      };
    },

    async remove(actor: Actor, id: string) {
      assertCan(actor, 'reports.delete');
      await inTenant(actor, async (db) => {
        const r = await reportsRepo.get(db, id);
        if (!r) throw notFound('report');
        if (!canDelete(actor, r)) throw forbidden('operators may delete only the reports they asked for');
        await reportsRepo.delete(db, id);
        await recordAudit(db, actor, {
          action: 'report.delete',
          targetType: 'report',
          targetId: id,
          details: { kind: r.kind, status: r.status, ...r.params },
        });
        await recordEvent(db, reportEvent(r, 'deleted'));
      });
    },
  };
}
export type ReportsService = ReturnType<typeof createReportsService>;

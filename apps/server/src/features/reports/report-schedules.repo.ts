import type { Db } from '../../platform/db/tx.js';

// report_schedules (migration 069): requests read and write their tenant's rows (app role, RLS); the schedule pass
// locks due rows across tenants (system role) and moves each to its next run in the transaction that queues its
// report.

export type ScheduleParams = {
  period: 'day' | 'week' | 'month';
  device_id?: string;
  site_id?: string;
  target_pct?: number;
};

export type ScheduleRow = {
  id: string;
  tenant_id: string;
  name: string;
  kind: string;
  format: string;
  cron: string;
  timezone: string;
  recipients: string[];
  params: ScheduleParams;
  enabled: boolean;
  next_run_at: Date | null;
  last_run_at: Date | null;
  last_report_id: string | null;
  created_by_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
};

export type ScheduleWrite = Pick<
  ScheduleRow,
  'name' | 'kind' | 'format' | 'cron' | 'timezone' | 'recipients' | 'params' | 'enabled' | 'next_run_at'
>;

const COLS = `id, tenant_id, name, kind, format, cron, timezone, recipients, params, enabled, next_run_at, last_run_at,
  last_report_id, created_by_id, created_by, created_at, updated_at`;

export const schedulesRepo = {
  async list(db: Db, f: { limit: number; offset: number }): Promise<{ rows: ScheduleRow[]; total: number }> {
    const r = await db.query<ScheduleRow & { total: string }>(
      `select ${COLS}, count(*) over () as total from report_schedules
        order by created_at desc, id desc limit $1 offset $2`,
      [f.limit, f.offset],
    );
    return { rows: r.rows, total: Number(r.rows[0]?.total ?? 0) };
  },

  async get(db: Db, id: string, forUpdate = false): Promise<ScheduleRow | undefined> {
    const r = await db.query<ScheduleRow>(
      `select ${COLS} from report_schedules where id = $1${forUpdate ? ' for update' : ''}`,
      [id],
    );
    return r.rows[0];
  },

  async insert(
    db: Db,
    tenantId: string,
    s: ScheduleWrite,
    by: { id: string | null; label: string },
  ): Promise<ScheduleRow> {
    const r = await db.query<ScheduleRow>(
      `insert into report_schedules (tenant_id, name, kind, format, cron, timezone, recipients, params, enabled,
         next_run_at, created_by_id, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning ${COLS}`,
      [
        tenantId,
        s.name,
        s.kind,
        s.format,
        s.cron,
        s.timezone,
        s.recipients,
        JSON.stringify(s.params),
        s.enabled,
        s.next_run_at,
        by.id,
        by.label,
      ],
    );
    return r.rows[0]!;
  },

  async update(db: Db, id: string, s: ScheduleWrite): Promise<ScheduleRow | undefined> {
    const r = await db.query<ScheduleRow>(
      `update report_schedules set name = $2, kind = $3, format = $4, cron = $5, timezone = $6, recipients = $7,
              params = $8, enabled = $9, next_run_at = $10
        where id = $1 returning ${COLS}`,
      [
        id,
        s.name,
        s.kind,
        s.format,
        s.cron,
        s.timezone,
        s.recipients,
        JSON.stringify(s.params),
        s.enabled,
        s.next_run_at,
      ],
    );
    return r.rows[0];
  },

  async delete(db: Db, id: string): Promise<ScheduleRow | undefined> {
    return (await db.query<ScheduleRow>(`delete from report_schedules where id = $1 returning ${COLS}`, [id])).rows[0];
  },

  // ----- the schedule pass (system role)

  /** Due schedules, locked; another pass at the same time skips them. */
  async lockDue(db: Db, n: number): Promise<ScheduleRow[]> {
    const r = await db.query<ScheduleRow>(
      `select ${COLS} from report_schedules where enabled and next_run_at <= now()
        order by next_run_at limit $1 for update skip locked`,
      [n],
    );
    return r.rows;
  },

  /** Moves a locked due schedule to its next run (null: it never fires again) and notes the run. */
  async advance(db: Db, id: string, next: Date | null, reportId: string | null): Promise<void> {
    await db.query(
      `update report_schedules set next_run_at = $2, last_run_at = now(),
              last_report_id = coalesce($3, last_report_id)
        where id = $1`,
      [id, next, reportId],
    );
  },
};

import type { Db } from '../../platform/db/tx.js';
import type { VariableDeclaration } from './variables.js';

// config_templates and template_assignments (migration 052), under RLS.

export type TemplateRow = {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  body: string;
  variables: VariableDeclaration[];
  group_values_sealed: Buffer | null;
  revision: number;
  created_at: Date;
  updated_at: Date;
};

export type AssignmentRow = {
  template_id: string;
  tenant_id: string;
  device_id: string;
  values_sealed: Buffer;
  rollout_id: string | null;
  pushed_at: Date;
  drift: 'unknown' | 'in_sync' | 'drifted' | 'error';
  drift_checked_at: Date | null;
  drift_revision: number | null;
  drift_sha256: string | null;
  drift_diff: unknown;
  drift_commands: number | null;
  drift_error: string | null;
  /** Joined for display. */
  device_name?: string;
};

export type DriftResult = Pick<
  AssignmentRow,
  'drift' | 'drift_sha256' | 'drift_diff' | 'drift_commands' | 'drift_error'
> & {
  drift_revision: number;
};

export const templatesRepo = {
  async insert(
    db: Db,
    t: Pick<TemplateRow, 'tenant_id' | 'name' | 'description' | 'body' | 'variables' | 'group_values_sealed'>,
  ): Promise<TemplateRow> {
    const r = await db.query<TemplateRow>(
      `insert into config_templates (tenant_id, name, description, body, variables, group_values_sealed)
       values ($1, $2, $3, $4, $5, $6) returning *`,
      [t.tenant_id, t.name, t.description, t.body, JSON.stringify(t.variables), t.group_values_sealed],
    );
    return r.rows[0] as TemplateRow;
  },

  async update(
    db: Db,
    id: string,
    t: Partial<Pick<TemplateRow, 'name' | 'description' | 'body' | 'variables' | 'group_values_sealed'>>,
  ): Promise<TemplateRow | undefined> {
    const r = await db.query<TemplateRow>(
      `update config_templates set
         name = coalesce($2, name), description = coalesce($3, description), body = coalesce($4, body),
         variables = coalesce($5, variables),
         group_values_sealed = case when $6::boolean then $7 else group_values_sealed end,
         revision = revision + case when $4::text is not null or $5::jsonb is not null then 1 else 0 end
       where id = $1 returning *`,
      [
        id,
        t.name ?? null,
        t.description ?? null,
        t.body ?? null,
        t.variables ? JSON.stringify(t.variables) : null,
        t.group_values_sealed !== undefined,
        t.group_values_sealed ?? null,
      ],
    );
    return r.rows[0];
  },

  async byId(db: Db, id: string): Promise<TemplateRow | undefined> {
    return (await db.query<TemplateRow>('select * from config_templates where id = $1', [id])).rows[0];
  },

  async list(db: Db, q: { limit: number; offset: number; search?: string }) {
    const where = `($1::text is null or name ilike '%' || $1 || '%')`;
    const [rows, total] = await Promise.all([
      db.query<TemplateRow & { assigned: number; drifted: number }>(
        `select t.*,
                (select count(*)::int from template_assignments a where a.template_id = t.id) as assigned,
                (select count(*)::int from template_assignments a where a.template_id = t.id and a.drift = 'drifted')
                  as drifted
           from config_templates t where ${where} order by lower(t.name) limit $2 offset $3`,
        [q.search ?? null, q.limit, q.offset],
      ),
      db.query<{ n: number }>(`select count(*)::int as n from config_templates where ${where}`, [q.search ?? null]),
    ]);
    return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
  },

  async remove(db: Db, id: string): Promise<boolean> {
    return ((await db.query('delete from config_templates where id = $1', [id])).rowCount ?? 0) === 1;
  },

  async assign(
    db: Db,
    a: Pick<AssignmentRow, 'template_id' | 'tenant_id' | 'device_id' | 'values_sealed' | 'rollout_id'>,
  ): Promise<void> {
    await db.query(
      `insert into template_assignments (template_id, tenant_id, device_id, values_sealed, rollout_id)
       values ($1, $2, $3, $4, $5)
       on conflict (template_id, device_id) do update set values_sealed = excluded.values_sealed,
         rollout_id = excluded.rollout_id, pushed_at = now(), drift = 'unknown', drift_checked_at = null,
         drift_diff = null, drift_commands = null, drift_error = null`,
      [a.template_id, a.tenant_id, a.device_id, a.values_sealed, a.rollout_id],
    );
  },

  async assignments(db: Db, templateId: string): Promise<AssignmentRow[]> {
    const r = await db.query<AssignmentRow>(
      `select a.*, d.name as device_name from template_assignments a join devices d on d.id = a.device_id
        where a.template_id = $1 order by d.name`,
      [templateId],
    );
    return r.rows;
  },

  async assignmentsOfDevice(db: Db, deviceId: string): Promise<AssignmentRow[]> {
    const r = await db.query<AssignmentRow>('select * from template_assignments where device_id = $1', [deviceId]);
    return r.rows;
  },

  async setDrift(db: Db, templateId: string, deviceId: string, d: DriftResult): Promise<void> {
    await db.query(
      `update template_assignments set drift = $3, drift_checked_at = now(), drift_revision = $4, drift_sha256 = $5,
              drift_diff = $6, drift_commands = $7, drift_error = $8
        where template_id = $1 and device_id = $2`,
      [
        templateId,
        deviceId,
        d.drift,
        d.drift_revision,
        d.drift_sha256,
        d.drift_diff === null ? null : JSON.stringify(d.drift_diff),
        d.drift_commands,
        d.drift_error,
      ],
    );
  },
};

import type { Db } from '../../platform/db/tx.js';
import type { EventsQuery } from './events.schema.js';

// The `events` table: the device event log. Ingest appends to it (inside its batch transaction), the API reads it.

/** A stored event as the database returns it (bigint id as text, timestamptz as Date). */
export type EventRow = {
  id: string;
  tenant_id: string;
  device_id: string;
  type: string;
  severity: string;
  message: string;
  details: Record<string, unknown>;
  created_at: Date;
};

/** One row of the batch insert: a column of the recordset each. */
export type EventInsertRow = {
  tenant_id: string;
  device_id: string;
  type: string;
  severity: string;
  message: string;
  details: Record<string, unknown> | undefined;
  created_at: string;
};

// Rows of devices deleted while their result was in flight are skipped, not an error.
const INSERT_EVENTS = `
insert into events (tenant_id, device_id, type, severity, message, details, created_at)
select x.tenant_id, x.device_id, x.type, x.severity, x.message, x.details, x.created_at
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, type text, severity text, message text,
       details jsonb, created_at timestamptz)
 where exists (select 1 from devices d where d.id = x.device_id)
-- A redelivered poll result finds its events stored already (migration 042): they are neither written nor returned,
-- so they do not become domain events twice.
on conflict (device_id, type, created_at) do nothing
returning id, tenant_id, device_id, type, severity, message, details, created_at`;

type ListRow = Omit<EventRow, 'tenant_id' | 'device_id'> & { device_id: string | null; device_name: string | null };

export const eventsRepo = {
  /** Newest first, paged by id (`before`). */
  async list(db: Db, q: EventsQuery) {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (q.device_id) add('e.device_id = ?', q.device_id);
    if (q.type) add('e.type = ?', q.type);
    if (q.severity) add('e.severity = ?', q.severity);
    if (q.from) add('e.created_at >= ?', q.from);
    if (q.to) add('e.created_at < ?', q.to);
    if (q.before) add('e.id < ?', q.before);
    args.push(q.limit);
    // Two phases: the page's ids from an index that holds every filtered column (migration 071), so PostgreSQL walks
    // the organisation's entries only — asked for whole rows it walked the primary key through every organisation's
    // events instead — then the rows of those ids.
    const r = await db.query<ListRow>(
      `with page as materialized (
         select e.id from events e ${where.length ? `where ${where.join(' and ')}` : ''}
          order by e.id desc limit $${args.length})
       select e.id, e.device_id, d.name as device_name, e.type, e.severity, e.message, e.details, e.created_at
         from page p join events e on e.id = p.id left join devices d on d.id = e.device_id
        order by e.id desc`,
      args,
    );
    return r.rows;
  },

  /** The whole batch as one JSON parameter (one round trip for N events). Returns the stored rows. */
  async insertBatch(db: Db, rows: EventInsertRow[]): Promise<EventRow[]> {
    if (rows.length === 0) return [];
    return (await db.query<EventRow>(INSERT_EVENTS, [JSON.stringify(rows)])).rows;
  },
};

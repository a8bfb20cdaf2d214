import type pg from 'pg';
import type { Db } from '../db/tx.js';
import type { Schedule } from '../jobs/schedules.js';

const DAY = 86_400_000;
const CHUNK = 5000;

/**
 * Deletes events older than `days` whose deliveries all succeeded (or that had none), and anything older than
 * `deadLetterDays` (dead letters, and deliveries of handlers that no longer exist). Chunked, so no long lock.
 */
export async function deleteOldEvents(
  systemPool: pg.Pool,
  o: { days: number; deadLetterDays: number; now?: Date },
): Promise<number> {
  const now = o.now?.getTime() ?? Date.now();
  // Ids are UUIDv7: the migration's domain_events_id_floor(t) is the smallest id made at t, so ages are key ranges.
  const delivered = new Date(now - o.days * DAY);
  const any = new Date(now - Math.max(o.days, o.deadLetterDays) * DAY);
  let total = 0;
  for (;;) {
    const r = await systemPool.query(
      `delete from domain_events where id in (
         select e.id from domain_events e
          where e.id < domain_events_id_floor($1::timestamptz)
            and (e.id < domain_events_id_floor($2::timestamptz)
                 or (e.dispatched_at is not null and not exists (
                       select 1 from domain_event_deliveries d where d.event_id = e.id and d.status <> 'done')))
          limit $3)`,
      [delivered, any, CHUNK],
    );
    total += r.rowCount ?? 0;
    if ((r.rowCount ?? 0) < CHUNK) return total;
  }
}

/** The worker schedule that applies the retention (hourly by default). */
export function eventRetentionSchedule(o: {
  systemPool: pg.Pool;
  days?: number;
  deadLetterDays?: number;
  everyMs?: number;
}): Schedule {
  return {
    name: 'events.retention',
    everyMs: o.everyMs ?? 3_600_000,
    run: () => deleteOldEvents(o.systemPool, { days: o.days ?? 7, deadLetterDays: o.deadLetterDays ?? 30 }),
  };
}

export type DeadLetter = {
  eventId: string;
  type: string;
  tenantId: string | null;
  handler: string;
  attempts: number;
  lastError: string | null;
  failedAt: Date;
};

/** Dead-lettered deliveries, newest first (system role; filter by tenant for a tenant's view). */
export async function listDeadLetters(
  db: Db,
  f: { handler?: string; tenantId?: string; limit?: number } = {},
): Promise<DeadLetter[]> {
  const r = await db.query(
    `select d.event_id as "eventId", e.type, e.tenant_id as "tenantId", d.handler, d.attempts,
            d.last_error as "lastError", d.due_at as "failedAt"
       from domain_event_deliveries d join domain_events e on e.id = d.event_id
      where d.status = 'dead' and ($1::text is null or d.handler = $1) and ($2::uuid is null or e.tenant_id = $2)
      order by d.event_id desc limit $3`,
    [f.handler ?? null, f.tenantId ?? null, f.limit ?? 100],
  );
  return r.rows as DeadLetter[];
}

/** Gives dead-lettered deliveries a fresh set of attempts (after the handler was fixed). Returns how many. */
export async function retryDeadLetters(db: Db, f: { handler?: string; eventIds?: readonly string[] } = {}) {
  const r = await db.query(
    `update domain_event_deliveries set status = 'pending', attempts = 0, due_at = now(), claim = null
      where status = 'dead' and ($1::text is null or handler = $1) and ($2::uuid[] is null or event_id = any($2))`,
    [f.handler ?? null, f.eventIds ?? null],
  );
  return r.rowCount ?? 0;
}

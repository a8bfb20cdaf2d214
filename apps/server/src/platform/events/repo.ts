import type pg from 'pg';
import type { Db } from '../db/tx.js';
import type { DomainEvent, EventActor, JsonValue } from './types.js';

// The dispatcher's SQL (system role). Every statement handles a whole batch.

export type HandlerSpec = { name: string; types: readonly string[] };

type EventRow = {
  id: string;
  type: string;
  tenant_id: string | null;
  device_id: string | null;
  actor: EventActor | null;
  payload: JsonValue;
  occurred_at: Date;
  recorded_at: Date;
};

export type PickedEvent = { event: DomainEvent; recordedAt: Date; wasRelayed: boolean };
export type ClaimedDelivery = { event: DomainEvent; recordedAt: Date; handler: string; attempt: number; claim: string };
export type Outcome =
  | { eventId: string; handler: string; claim: string; status: 'done' }
  | { eventId: string; handler: string; claim: string; status: 'pending' | 'dead'; delayMs: number; error: string };

const toEvent = (r: EventRow): DomainEvent => ({
  id: r.id,
  type: r.type,
  tenantId: r.tenant_id,
  deviceId: r.device_id,
  actor: r.actor,
  payload: r.payload,
  occurredAt: r.occurred_at,
});

const EVENT_COLUMNS = 'e.id, e.type, e.tenant_id, e.device_id, e.actor, e.payload, e.occurred_at, e.recorded_at';

// Deliveries for the handlers that want each event. `$H` is the handler list as JSON.
const INSERT_DELIVERIES = (events: string, h: string) => `
  insert into domain_event_deliveries (event_id, handler)
  select ev.id, h.name from ${events} ev
    join json_to_recordset(${h}::json) as h(name text, types text[]) on ev.type = any(h.types) or '*' = any(h.types)
  on conflict do nothing`;

/**
 * Fans out events nobody has fanned out yet: marks them dispatched and inserts their deliveries, in one statement.
 * `olderThanMs` (NATS mode) takes only events the relay or the JetStream consumers left alone that long.
 */
export async function fanOut(
  db: Db,
  handlers: readonly HandlerSpec[],
  limit: number,
  olderThanMs: number | null,
): Promise<PickedEvent[]> {
  const r = await db.query<EventRow & { was_relayed: boolean }>(
    `with picked as (
       select id, relayed_at is not null as was_relayed from domain_events
        where dispatched_at is null
          and ($3::float8 is null or coalesce(relayed_at, recorded_at) < now() - $3::float8 * interval '1 millisecond')
        order by id limit $2 for update skip locked
     ), ev as (
       update domain_events e set dispatched_at = now() from picked p where e.id = p.id
       returning ${EVENT_COLUMNS}, p.was_relayed
     ), ins as (${INSERT_DELIVERIES('ev', '$1')})
     select * from ev`,
    [JSON.stringify(handlers), limit, olderThanMs],
  );
  return r.rows.map((row) => ({ event: toEvent(row), recordedAt: row.recorded_at, wasRelayed: row.was_relayed }));
}

/** NATS mode: the events a JetStream consumer received, fanned out unless someone already did. Returns how many. */
export async function fanOutIds(db: Db, handlers: readonly HandlerSpec[], ids: readonly string[]): Promise<number> {
  const r = await db.query(
    `with ev as (
       update domain_events e set dispatched_at = now()
        where e.id = any($2::uuid[]) and e.dispatched_at is null
       returning e.id, e.type
     ), ins as (${INSERT_DELIVERIES('ev', '$1')})
     select count(*)::int as n from ev`,
    [JSON.stringify(handlers), ids],
  );
  return r.rows[0].n as number;
}

/**
 * Claims due deliveries of these handlers: pending ones whose backoff has passed, and running ones whose lease
 * expired (their process died). Each claim counts an attempt and takes a lease of `leaseMs`.
 */
export async function claimDeliveries(
  db: Db,
  handlerNames: readonly string[],
  limit: number,
  leaseMs: number,
  claim: string,
): Promise<ClaimedDelivery[]> {
  const r = await db.query<EventRow & { handler: string; attempts: number }>(
    `with c as (
       select event_id, handler from domain_event_deliveries
        where status in ('pending', 'running') and due_at <= now() and handler = any($1::text[])
        order by due_at limit $2 for update skip locked
     )
     update domain_event_deliveries d
        set status = 'running', attempts = d.attempts + 1, claim = $4::uuid,
            due_at = now() + $3::float8 * interval '1 millisecond',
            last_error = case when d.status = 'running' then 'lease expired before the handler finished'
                              else d.last_error end
       from c, domain_events e
      where d.event_id = c.event_id and d.handler = c.handler and e.id = d.event_id
     returning ${EVENT_COLUMNS}, d.handler, d.attempts`,
    [handlerNames, limit, leaseMs, claim],
  );
  return r.rows.map((row) => ({
    event: toEvent(row),
    recordedAt: row.recorded_at,
    handler: row.handler,
    attempt: row.attempts,
    claim,
  }));
}

/**
 * Writes outcomes of runs that still hold their lease (a run whose lease was taken over records nothing). Returns
 * the `event|handler` keys written.
 */
export async function completeDeliveries(db: Db, outcomes: readonly Outcome[]): Promise<Set<string>> {
  if (outcomes.length === 0) return new Set();
  const rows = outcomes.map((o) => ({
    event_id: o.eventId,
    handler: o.handler,
    claim: o.claim,
    status: o.status,
    delay_ms: o.status === 'done' ? 0 : o.delayMs,
    error: o.status === 'done' ? null : o.error,
  }));
  const r = await db.query(
    `update domain_event_deliveries d
        set status = x.status, due_at = now() + x.delay_ms * interval '1 millisecond',
            last_error = case when x.status = 'done' then d.last_error else x.error end,
            done_at = case when x.status = 'done' then now() end
       from json_to_recordset($1::json) as x(event_id uuid, handler text, claim uuid, status text, delay_ms float8,
            error text)
      where d.event_id = x.event_id and d.handler = x.handler and d.claim = x.claim and d.status = 'running'
     returning d.event_id, d.handler`,
    [JSON.stringify(rows)],
  );
  return new Set(r.rows.map((w) => `${w.event_id}|${w.handler}`));
}

/** Extends the leases of runs still in progress. */
export async function renewLeases(db: Db, claims: readonly string[], leaseMs: number): Promise<void> {
  if (claims.length === 0) return;
  await db.query(
    `update domain_event_deliveries set due_at = now() + $2::float8 * interval '1 millisecond'
      where claim = any($1::uuid[]) and status = 'running'`,
    [claims, leaseMs],
  );
}

/** NATS relay: locks up to `limit` events not yet relayed nor dispatched, in the caller's transaction. */
export async function lockUnrelayed(c: pg.PoolClient, limit: number): Promise<PickedEvent[]> {
  const r = await c.query<EventRow>(
    `select ${EVENT_COLUMNS} from domain_events e
      where e.dispatched_at is null and e.relayed_at is null
      order by e.id limit $1 for update skip locked`,
    [limit],
  );
  return r.rows.map((row) => ({ event: toEvent(row), recordedAt: row.recorded_at, wasRelayed: false }));
}

export async function markRelayed(c: pg.PoolClient, ids: readonly string[]): Promise<void> {
  await c.query('update domain_events set relayed_at = now() where id = any($1::uuid[])', [ids]);
}

/**
 * Whether what an event is about was deleted after it was recorded: its organisation, or its device. A handler
 * failing on such an event (a foreign key to a row that is gone) can never succeed, so it is not retried.
 */
export async function subjectGone(db: Db, e: { tenantId: string | null; deviceId: string | null }): Promise<boolean> {
  if (!e.tenantId) return false;
  const r = await db.query<{ gone: boolean }>(
    `select not exists (select 1 from tenants where id = $1)
            or ($2::uuid is not null and not exists (select 1 from devices where id = $2)) as gone`,
    [e.tenantId, e.deviceId],
  );
  return r.rows[0]?.gone ?? false;
}

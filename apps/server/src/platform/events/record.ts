import type { Actor } from '../auth/principal.js';
import { actorId, actorLabel } from '../auth/principal.js';
import type { Db } from '../db/tx.js';
import type { EventActor, NewEvent } from './types.js';
import { uuidv7 } from './uuid7.js';

// The one way to record a domain event: one INSERT in the caller's transaction (like recordAudit), so the event
// exists iff the change committed. A trigger notifies the dispatchers at commit. On the `app` pool, row-level
// security lets a request record events of its own tenant only.

const TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

function check(e: NewEvent) {
  if (e.type.length > 64 || !TYPE.test(e.type))
    throw new Error(`recordEvent: invalid event type ${JSON.stringify(e.type)}`);
}

const INSERT_ONE = `insert into domain_events (id, tenant_id, type, device_id, actor, payload, occurred_at)
  values ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()))`;

const INSERT_MANY = `insert into domain_events (id, tenant_id, type, device_id, actor, payload, occurred_at)
  select x.id, x.tenant_id, x.type, x.device_id, x.actor, coalesce(x.payload, 'null'), coalesce(x.occurred_at, now())
    from json_to_recordset($1::json) as x(id uuid, tenant_id uuid, type text, device_id uuid, actor jsonb,
         payload jsonb, occurred_at timestamptz)`;

const when = (d: Date | string | undefined) => (d === undefined ? null : d instanceof Date ? d.toISOString() : d);

/** Records one event in the caller's transaction. Returns its id. */
export async function recordEvent(db: Db, e: NewEvent): Promise<string> {
  check(e);
  const id = uuidv7();
  await db.query({
    name: 'tod_record_event',
    text: INSERT_ONE,
    values: [
      id,
      e.tenantId,
      e.type,
      e.deviceId ?? null,
      e.actor ? JSON.stringify(e.actor) : null,
      JSON.stringify(e.payload ?? null),
      when(e.occurredAt),
    ],
  });
  return id;
}

/** Records many events with one statement (ingest: a whole batch of poll results). Returns their ids in order. */
export async function recordEvents(db: Db, events: readonly NewEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = events.map((e) => {
    check(e);
    return {
      id: uuidv7(),
      tenant_id: e.tenantId,
      type: e.type,
      device_id: e.deviceId ?? null,
      actor: e.actor ?? null,
      payload: e.payload ?? null,
      occurred_at: when(e.occurredAt),
    };
  });
  await db.query({ name: 'tod_record_events', text: INSERT_MANY, values: [JSON.stringify(rows)] });
  return rows.map((r) => r.id);
}

/** The actor of an event, named as the audit trail names it. */
export function eventActor(actor: Actor): EventActor {
  const p = actor.principal;
  return { type: p.kind, id: actorId(p), label: actorLabel(p) };
}

import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { readInTenant } from '../../platform/db/tx.js';
import { eventsRepo } from './events.repo.js';
import type { EventItem, EventsPage, EventsQuery } from './events.schema.js';

/** `readPool`: a read pool (pools.ts) or the app pool. */
export function createEventsService(deps: { readPool: pg.Pool }) {
  return {
    /** Newest first, paged by id (`before`). */
    async list(actor: Actor, q: EventsQuery): Promise<EventsPage> {
      assertCan(actor, 'events.read');
      const rows = await readInTenant(deps.readPool, actor.tenantId, (db) => eventsRepo.list(db, q));
      const items: EventItem[] = rows.map((r) => ({ ...r, id: Number(r.id), created_at: r.created_at.toISOString() }));
      return { items, next_before: rows.length === q.limit ? items.at(-1)!.id : null };
    },
  };
}
export type EventsService = ReturnType<typeof createEventsService>;

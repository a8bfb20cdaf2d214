import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, tenantParams } from '../../platform/http/schemas.js';

const eventsQuery = z.strictObject({
  device_id: z.uuid().optional(),
  type: z
    .string()
    .regex(/^[a-z][a-z0-9_.]{1,63}$/)
    .optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
type EventsQuery = z.infer<typeof eventsQuery>;

export const eventOut = z.object({
  id: z.number().int(),
  device_id: z.string().nullable(),
  device_name: z.string().nullable(),
  type: z.string(),
  severity: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

export function createEventsService(deps: { appPool: pg.Pool }) {
  return {
    /** Newest first, paged by id (`before`). */
    async list(actor: Actor, q: EventsQuery) {
      assertCan(actor, 'events.read');
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
      const rows = await withTenant(
        deps.appPool,
        actor.tenantId,
        async (db) =>
          (
            await db.query<{ id: string; created_at: Date } & Record<string, unknown>>(
              `select e.id, e.device_id, d.name as device_name, e.type, e.severity, e.message, e.details, e.created_at
               from events e left join devices d on d.id = e.device_id
              ${where.length ? `where ${where.join(' and ')}` : ''} order by e.id desc limit $${args.length}`,
              args,
            )
          ).rows,
      );
      const items = rows.map((r) => ({ ...r, id: Number(r.id), created_at: r.created_at.toISOString() })) as z.infer<
        typeof eventOut
      >[];
      return { items, next_before: rows.length === q.limit ? items.at(-1)!.id : null };
    },
  };
}
export type EventsService = ReturnType<typeof createEventsService>;

export function eventsRoutes(app: FastifyInstance, events: EventsService) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/tenants/:tenant_id/events', {
    config: { access: access.can('events.read') },
    schema: {
      tags: ['events'],
      params: tenantParams,
      querystring: eventsQuery,
      response: {
        200: z.object({ items: z.array(eventOut), next_before: z.number().int().nullable() }),
        ...errorResponses,
      },
    },
    handler: (req) => events.list(actorOf(req), req.query),
  });
}

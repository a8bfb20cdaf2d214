import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, tenantParams } from '../../platform/http/schemas.js';

const ranked = z.object({ id: z.string(), name: z.string(), status: z.string(), value: z.number() });
const summaryOut = z.object({
  counts: z.object({
    total: z.number(),
    online: z.number(),
    offline: z.number(),
    degraded: z.number(),
    unknown: z.number(),
    disabled: z.number(),
  }),
  top_cpu: z.array(ranked),
  top_memory: z.array(ranked),
  top_disk: z.array(ranked),
  recent_offline: z.array(
    z.object({ id: z.string(), name: z.string(), status_since: z.string(), status_reason: z.string().nullable() }),
  ),
  versions: z.array(z.object({ version: z.string(), count: z.number() })),
  models: z.array(z.object({ model: z.string(), count: z.number() })),
  updates_available: z.number(),
});

// One statement per part, all from the devices' latest-state columns (never the metrics tables).
const queries = {
  counts: `select count(*)::int as total,
      count(*) filter (where status = 'online' and not disabled)::int as online,
      count(*) filter (where status = 'offline' and not disabled)::int as offline,
      count(*) filter (where status = 'degraded' and not disabled)::int as degraded,
      count(*) filter (where status = 'unknown' and not disabled)::int as unknown,
      count(*) filter (where disabled)::int as disabled,
      count(*) filter (where latest_version is not null and version is not null and latest_version <> version)::int as updates
    from devices`,
  top: (expr: string) => `select id, name, status, (${expr})::float8 as value from devices
      where not disabled and ${expr} is not null order by value desc limit 5`,
  offline: `select id, name, status_since, status_reason from devices where status = 'offline' and not disabled
      order by status_since desc limit 10`,
  versions: `select coalesce(version, 'unknown') as version, count(*)::int as count from devices group by 1 order by 2 desc, 1 limit 20`,
  models: `select coalesce(model, 'unknown') as model, count(*)::int as count from devices group by 1 order by 2 desc, 1 limit 20`,
};

export function createFleetService(deps: { appPool: pg.Pool }) {
  return {
    async summary(actor: Actor) {
      assertCan(actor, 'devices.read');
      return withTenant(deps.appPool, actor.tenantId, async (db) => {
        const c = (await db.query(queries.counts)).rows[0];
        const top = async (expr: string) => (await db.query(queries.top(expr))).rows;
        const offline = (await db.query<{ status_since: Date }>(queries.offline)).rows;
        return {
          counts: {
            total: c.total,
            online: c.online,
            offline: c.offline,
            degraded: c.degraded,
            unknown: c.unknown,
            disabled: c.disabled,
          },
          top_cpu: await top('cpu_load'),
          top_memory: await top('100.0 * (memory_total - memory_free) / nullif(memory_total, 0)'),
          top_disk: await top('100.0 * (disk_total - disk_free) / nullif(disk_total, 0)'),
          recent_offline: offline.map((o) => ({ ...o, status_since: o.status_since.toISOString() })),
          versions: (await db.query(queries.versions)).rows,
          models: (await db.query(queries.models)).rows,
          updates_available: c.updates,
        } as z.infer<typeof summaryOut>;
      });
    },
  };
}
export type FleetService = ReturnType<typeof createFleetService>;

export function fleetRoutes(app: FastifyInstance, fleet: FleetService) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/tenants/:tenant_id/fleet/summary', {
    config: { access: access.can('devices.read') },
    schema: { tags: ['fleet'], params: tenantParams, response: { 200: summaryOut, ...errorResponses } },
    handler: (req) => fleet.summary(actorOf(req)),
  });
}

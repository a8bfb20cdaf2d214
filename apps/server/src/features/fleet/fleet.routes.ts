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

// One statement, one scan of the devices' latest-state columns (never the metrics tables): the CTE is read once and
// every part is computed from it, and PostgreSQL builds the JSON.
export const summarySql = `
with d as materialized (
  select id, name, status, disabled, version, model, latest_version, status_since, status_reason, cpu_load::float8 as cpu,
         100.0 * (memory_total - memory_free) / nullif(memory_total, 0) as mem,
         100.0 * (disk_total - disk_free) / nullif(disk_total, 0) as disk
    from devices)
select json_build_object(
  'counts', (select json_build_object(
      'total', count(*),
      'online', count(*) filter (where status = 'online' and not disabled),
      'offline', count(*) filter (where status = 'offline' and not disabled),
      'degraded', count(*) filter (where status = 'degraded' and not disabled),
      'unknown', count(*) filter (where status = 'unknown' and not disabled),
      'disabled', count(*) filter (where disabled)) from d),
  'top_cpu', coalesce((select json_agg(x) from (select id, name, status, cpu as value from d
      where not disabled and cpu is not null order by cpu desc, name limit 5) x), '[]'),
  'top_memory', coalesce((select json_agg(x) from (select id, name, status, mem::float8 as value from d
      where not disabled and mem is not null order by mem desc, name limit 5) x), '[]'),
  'top_disk', coalesce((select json_agg(x) from (select id, name, status, disk::float8 as value from d
      where not disabled and disk is not null order by disk desc, name limit 5) x), '[]'),
  'recent_offline', coalesce((select json_agg(x) from (select id, name, status_since, status_reason from d
      where status = 'offline' and not disabled order by status_since desc limit 10) x), '[]'),
  'versions', coalesce((select json_agg(x) from (select coalesce(version, 'unknown') as version, count(*) as count from d
      group by 1 order by 2 desc, 1 limit 20) x), '[]'),
  'models', coalesce((select json_agg(x) from (select coalesce(model, 'unknown') as model, count(*) as count from d
      group by 1 order by 2 desc, 1 limit 20) x), '[]'),
  'updates_available', (select count(*) from d where latest_version is not null and version is not null
      and latest_version <> version)
) as summary`;

export function createFleetService(deps: { appPool: pg.Pool }) {
  return {
    async summary(actor: Actor) {
      assertCan(actor, 'devices.read');
      return withTenant(deps.appPool, actor.tenantId, async (db) => {
        const r = await db.query<{ summary: z.infer<typeof summaryOut> }>(summarySql);
        return r.rows[0]!.summary;
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

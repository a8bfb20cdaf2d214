import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { assertCan, policiesFor } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { access, actorOf } from '../../platform/http/access.js';
import { conflictFromPg, notFound } from '../../platform/http/errors.js';
import {
  errorResponses,
  idParams,
  jsonDates,
  listQuery,
  name,
  page,
  tenantParams,
} from '../../platform/http/schemas.js';
import { recordAudit } from '../audit/audit.service.js';

// Sites, device groups and device tags are the same thing with different fields: a named, tenant-owned catalog
// entry that devices point at. One definition drives the repo, the service and the routes of each.

type Table = 'sites' | 'device_groups' | 'device_tags';

export type CatalogDef<F extends z.ZodRawShape> = {
  table: Table;
  /** URL segment under /api/tenants/{tenant_id}/ */
  segment: string;
  label: string;
  /** Editable fields besides `name`, with their zod types (defaults apply on create). */
  fields: F;
  /** How many devices use an entry: SQL with $1 = entry id. */
  usageSql: string;
};

export function catalog<F extends z.ZodRawShape>(def: CatalogDef<F>) {
  const fieldNames = Object.keys(def.fields);
  const cols = ['id', 'name', ...fieldNames, 'created_at', 'updated_at'];
  const selectCols = `${cols.join(', ')}, (${def.usageSql.replaceAll('$1', `${def.table}.id`)})::int as device_count`;
  const select = `select ${selectCols} from ${def.table}`;
  const createBody = z.strictObject({ name, ...def.fields });
  const updateBody = z
    .strictObject({
      name: name.optional(),
      ...Object.fromEntries(fieldNames.map((f) => [f, (def.fields[f] as z.ZodType).optional()])),
    })
    .refine((b) => Object.keys(b).length > 0, 'send at least one field');
  // Loose: the entry's own fields (address, colour…) pass through next to the common ones.
  const out = z.looseObject({
    id: z.uuid(),
    name: z.string(),
    device_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    policies: z.record(z.string(), z.boolean()),
  });
  type Out = z.infer<typeof out>;
  const unique = { [`${def.table}_name_key`]: ['name_taken', `a ${def.label} with this name exists`] } as const;

  type Row = Record<string, unknown> & { id: string; name: string };
  const present = (actor: Actor, row: Row): Out =>
    ({
      ...jsonDates(row),
      policies: policiesFor(actor.principal, ['inventory.write', 'inventory.delete']),
    }) as unknown as Out;

  function service(appPool: pg.Pool) {
    return {
      async list(actor: Actor, q: { limit: number; offset: number; search?: string }) {
        assertCan(actor, 'inventory.read');
        const r = await withTenant(appPool, actor.tenantId, (db) =>
          db.query<Row & { total: string }>(
            `select ${selectCols}, count(*) over () as total from ${def.table}
              where ($3::text is null or name ilike '%' || $3 || '%') order by lower(name) limit $1 offset $2`,
            [q.limit, q.offset, q.search?.replace(/[%_\\]/g, '\\$&') ?? null],
          ),
        );
        const total = Number(r.rows[0]?.total ?? 0);
        return {
          items: r.rows.map(({ total: _t, ...row }) => present(actor, row as Row)),
          total,
          limit: q.limit,
          offset: q.offset,
        };
      },
      async get(actor: Actor, id: string) {
        assertCan(actor, 'inventory.read');
        const row = await withTenant(
          appPool,
          actor.tenantId,
          async (db) => (await db.query<Row>(`${select} where id = $1`, [id])).rows[0],
        );
        if (!row) throw notFound(def.label);
        return present(actor, row);
      },
      async create(actor: Actor, body: Record<string, unknown>) {
        assertCan(actor, 'inventory.write');
        const keys = ['name', ...fieldNames].filter((k) => body[k] !== undefined);
        const row = await withTenant(appPool, actor.tenantId, async (db) => {
          const r = await db
            .query<{ id: string }>(
              `insert into ${def.table} (tenant_id, ${keys.join(', ')}) values ($1, ${keys.map((_, i) => `$${i + 2}`).join(', ')}) returning id`,
              [actor.tenantId, ...keys.map((k) => body[k])],
            )
            .catch((e) => conflictFromPg(e, unique));
          const id = r.rows[0]!.id;
          await recordAudit(db, actor, {
            action: `${def.table}.create`,
            targetType: def.label,
            targetId: id,
            details: body,
          });
          return (await db.query<Row>(`${select} where id = $1`, [id])).rows[0]!;
        });
        return present(actor, row);
      },
      async update(actor: Actor, id: string, body: Record<string, unknown>) {
        assertCan(actor, 'inventory.write');
        const keys = ['name', ...fieldNames].filter((k) => body[k] !== undefined);
        const row = await withTenant(appPool, actor.tenantId, async (db) => {
          const r = await db
            .query(`update ${def.table} set ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} where id = $1`, [
              id,
              ...keys.map((k) => body[k]),
            ])
            .catch((e) => conflictFromPg(e, unique));
          if (r.rowCount === 0) throw notFound(def.label);
          await recordAudit(db, actor, {
            action: `${def.table}.update`,
            targetType: def.label,
            targetId: id,
            details: body,
          });
          return (await db.query<Row>(`${select} where id = $1`, [id])).rows[0]!;
        });
        return present(actor, row);
      },
      async remove(actor: Actor, id: string) {
        assertCan(actor, 'inventory.delete');
        await withTenant(appPool, actor.tenantId, async (db) => {
          const r = await db.query<{ name: string }>(`delete from ${def.table} where id = $1 returning name`, [id]);
          if (r.rowCount === 0) throw notFound(def.label);
          await recordAudit(db, actor, {
            action: `${def.table}.delete`,
            targetType: def.label,
            targetId: id,
            details: { name: r.rows[0]!.name },
          });
        });
      },
    };
  }

  function routes(app: FastifyInstance, svc: ReturnType<typeof service>) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = [def.segment];
    const base = `/api/tenants/:tenant_id/${def.segment}`;
    const itemParams = idParams('id');
    r.get(base, {
      config: { access: access.can('inventory.read') },
      schema: {
        tags,
        params: tenantParams,
        querystring: z.strictObject({ ...listQuery, search: z.string().max(200).optional() }),
        response: { 200: page(out), ...errorResponses },
      },
      handler: (req) => svc.list(actorOf(req), req.query),
    });
    r.post(base, {
      config: { access: access.can('inventory.write') },
      schema: { tags, params: tenantParams, body: createBody, response: { 201: out, ...errorResponses } },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.create(actorOf(req), req.body as Record<string, unknown>)),
    });
    r.get(`${base}/:id`, {
      config: { access: access.can('inventory.read') },
      schema: { tags, params: itemParams, response: { 200: out, ...errorResponses } },
      handler: (req) => svc.get(actorOf(req), String(req.params.id)),
    });
    r.patch(`${base}/:id`, {
      config: { access: access.can('inventory.write') },
      schema: { tags, params: itemParams, body: updateBody, response: { 200: out, ...errorResponses } },
      handler: (req) => svc.update(actorOf(req), String(req.params.id), req.body as Record<string, unknown>),
    });
    r.delete(`${base}/:id`, {
      config: { access: access.can('inventory.delete') },
      schema: { tags, params: itemParams, response: { 204: z.null(), ...errorResponses } },
      handler: async (req, reply) => {
        await svc.remove(actorOf(req), String(req.params.id));
        return reply.status(204).send(null);
      },
    });
  }

  return { service, routes };
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, page, tenantParams } from '../../platform/http/schemas.js';
import { type CatalogBody, type CatalogDef, catalogBodies, catalogItem, catalogListQuery } from './catalog.schema.js';
import type { CatalogService } from './catalog.service.js';

export type CatalogRoute = 'list' | 'create' | 'get' | 'update' | 'delete';

/**
 * The five routes of one catalog, under /api/tenants/{tenant_id}/<segment>, but those in `omit`: a feature of its own
 * serves them (sites' list and item carry counts and health: features/sites).
 */
export function catalogRoutes(
  app: FastifyInstance,
  def: CatalogDef,
  svc: CatalogService,
  opts: { omit?: readonly CatalogRoute[] } = {},
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const serves = (route: CatalogRoute) => !opts.omit?.includes(route);
  const tags = [def.segment];
  const base = `/api/tenants/:tenant_id/${def.segment}`;
  const itemParams = idParams('id');
  const body = catalogBodies(def);
  if (serves('list'))
    r.get(base, {
      config: { access: access.can('inventory.read') },
      schema: {
        tags,
        params: tenantParams,
        querystring: catalogListQuery,
        response: { 200: page(catalogItem), ...errorResponses },
      },
      handler: (req) => svc.list(actorOf(req), req.query),
    });
  if (serves('create'))
    r.post(base, {
      config: { access: access.can('inventory.write') },
      schema: { tags, params: tenantParams, body: body.create, response: { 201: catalogItem, ...errorResponses } },
      handler: async (req, reply) => reply.status(201).send(await svc.create(actorOf(req), req.body as CatalogBody)),
    });
  if (serves('get'))
    r.get(`${base}/:id`, {
      config: { access: access.can('inventory.read') },
      schema: { tags, params: itemParams, response: { 200: catalogItem, ...errorResponses } },
      handler: (req) => svc.get(actorOf(req), String(req.params.id)),
    });
  if (serves('update'))
    r.patch(`${base}/:id`, {
      config: { access: access.can('inventory.write') },
      schema: { tags, params: itemParams, body: body.update, response: { 200: catalogItem, ...errorResponses } },
      handler: (req) => svc.update(actorOf(req), String(req.params.id), req.body as CatalogBody),
    });
  if (serves('delete'))
    r.delete(`${base}/:id`, {
      config: { access: access.can('inventory.delete') },
      schema: { tags, params: itemParams, response: { 204: z.null(), ...errorResponses } },
      handler: async (req, reply) => {
        await svc.remove(actorOf(req), String(req.params.id));
        return reply.status(204).send(null);
      },
    });
}

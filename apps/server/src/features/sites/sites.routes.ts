import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, page, tenantParams } from '../../platform/http/schemas.js';
import { catalogBodies } from '../catalog/catalog.schema.js';
import { sites } from '../catalog/catalogs.js';
import {
  assignmentOut,
  bulkAssignBody,
  bulkAssignOut,
  siteDeviceParams,
  siteItem,
  siteListItem,
  siteListQuery,
  siteParams,
} from './sites.schema.js';
import type { SitesService } from './sites.service.js';

/**
 * Sites under /api/tenants/{tenant_id}/sites: the list and writes answer with counts, the item (GET, PUT) with its
 * health; device assignment. DELETE stays the catalog's (catalog.routes.ts): the item keeps the catalog's `{id}` so
 * that one path serves GET, PUT, PATCH and DELETE.
 */
export function sitesRoutes(app: FastifyInstance, svc: SitesService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sites'];
  const base = '/api/tenants/:tenant_id/sites';
  const bodies = catalogBodies(sites);
  r.get(base, {
    config: { access: access.can('inventory.read') },
    schema: {
      tags,
      description: 'Sites by name, each with its device count, offline devices and sectors.',
      params: tenantParams,
      querystring: siteListQuery,
      response: { 200: page(siteListItem), ...errorResponses },
    },
    handler: (req) => svc.list(actorOf(req), req.query),
  });
  r.post(base, {
    config: { access: access.can('inventory.write') },
    schema: { tags, params: tenantParams, body: bodies.create, response: { 201: siteListItem, ...errorResponses } },
    handler: async (req, reply) =>
      reply.status(201).send(await svc.create(actorOf(req), req.body as Record<string, unknown>)),
  });
  r.get(`${base}/:id`, {
    config: { access: access.can('inventory.read') },
    schema: {
      tags,
      description: 'A site with its health: devices by status, active alerts by severity, sectors, last change.',
      params: siteParams,
      response: { 200: siteItem, ...errorResponses },
    },
    handler: (req) => svc.get(actorOf(req), String(req.params.id)),
  });
  r.put(`${base}/:id`, {
    config: { access: access.can('inventory.write') },
    schema: {
      tags,
      description: 'Replaces every field of a site (what is left out takes its default).',
      params: siteParams,
      body: bodies.create,
      response: { 200: siteItem, ...errorResponses },
    },
    handler: (req) => svc.replace(actorOf(req), String(req.params.id), req.body as Record<string, unknown>),
  });
  r.patch(`${base}/:id`, {
    config: { access: access.can('inventory.write') },
    schema: { tags, params: siteParams, body: bodies.update, response: { 200: siteListItem, ...errorResponses } },
    handler: (req) => svc.update(actorOf(req), String(req.params.id), req.body as Record<string, unknown>),
  });
  r.post(`${base}/:site_id/devices/bulk-assign`, {
    config: { access: access.can('inventory.write') },
    schema: {
      tags,
      description:
        'Puts up to 1,000 devices in the site, all or nothing: an unknown id refuses the request (`unknown_devices`, the ids in `errors`). A device that was in another site leaves its sector.',
      params: z.strictObject({ tenant_id: z.uuid(), site_id: z.uuid() }),
      body: bulkAssignBody,
      response: { 200: bulkAssignOut, ...errorResponses },
    },
    handler: (req) => svc.bulkAssign(actorOf(req), req.params.site_id, req.body.device_ids),
  });
  r.post(`${base}/:site_id/devices/:device_id`, {
    config: { access: access.can('inventory.write') },
    schema: {
      tags,
      description: 'Puts a device in the site; a device that was in another site leaves its sector.',
      params: siteDeviceParams,
      response: { 200: assignmentOut, ...errorResponses },
    },
    handler: (req) => svc.assign(actorOf(req), req.params.site_id, req.params.device_id),
  });
  r.delete(`${base}/:site_id/devices/:device_id`, {
    config: { access: access.can('inventory.write') },
    schema: {
      tags,
      description: 'Takes a device out of the site (and its sector). A device not in this site is left as it is.',
      params: siteDeviceParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await svc.unassign(actorOf(req), req.params.site_id, req.params.device_id);
      return reply.status(204).send(null);
    },
  });
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, page, tenantParams } from '../../platform/http/schemas.js';
import { windowCreate, windowItem, windowListQuery, windowUpdate } from './maintenance-windows.schema.js';
import type { MaintenanceWindowsService } from './maintenance-windows.service.js';

/** CRUD of maintenance windows under /api/tenants/{tenant_id}/maintenance-windows. */
export function maintenanceWindowsRoutes(app: FastifyInstance, svc: MaintenanceWindowsService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['maintenance-windows'];
  const base = '/api/tenants/:tenant_id/maintenance-windows';
  const params = idParams('window_id');
  r.get(base, {
    config: { access: access.can('maintenance.read') },
    schema: {
      tags,
      params: tenantParams,
      querystring: windowListQuery,
      response: { 200: page(windowItem), ...errorResponses },
    },
    handler: (req) => svc.list(actorOf(req), req.query),
  });
  r.post(base, {
    config: { access: access.can('maintenance.write') },
    schema: { tags, params: tenantParams, body: windowCreate, response: { 201: windowItem, ...errorResponses } },
    handler: async (req, reply) => reply.status(201).send(await svc.create(actorOf(req), req.body)),
  });
  r.get(`${base}/:window_id`, {
    config: { access: access.can('maintenance.read') },
    schema: { tags, params, response: { 200: windowItem, ...errorResponses } },
    handler: (req) => svc.get(actorOf(req), String(req.params.window_id)),
  });
  r.patch(`${base}/:window_id`, {
    config: { access: access.can('maintenance.write') },
    schema: { tags, params, body: windowUpdate, response: { 200: windowItem, ...errorResponses } },
    handler: (req) => svc.update(actorOf(req), String(req.params.window_id), req.body),
  });
  r.delete(`${base}/:window_id`, {
    config: { access: access.can('maintenance.write') },
    schema: { tags, params, response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      await svc.remove(actorOf(req), String(req.params.window_id));
      return reply.status(204).send(null);
    },
  });
}

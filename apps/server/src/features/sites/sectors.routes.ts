import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, page } from '../../platform/http/schemas.js';
import {
  deviceSectorBody,
  deviceSectorParams,
  sectorBody,
  sectorItem,
  sectorListQuery,
  sectorParams,
  sectorsParams,
} from './sectors.schema.js';
import type { SectorsService } from './sectors.service.js';
import { assignmentOut } from './sites.schema.js';

/** Sectors of a site, and a device's sector, under /api/tenants/{tenant_id}. */
export function sectorsRoutes(app: FastifyInstance, svc: SectorsService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sectors'];
  const base = '/api/tenants/:tenant_id/sites/:site_id/sectors';
  r.get(base, {
    config: { access: access.can('inventory.read') },
    schema: {
      tags,
      params: sectorsParams,
      querystring: sectorListQuery,
      response: { 200: page(sectorItem), ...errorResponses },
    },
    handler: (req) => svc.list(actorOf(req), req.params.site_id, req.query),
  });
  r.post(base, {
    config: { access: access.can('inventory.write') },
    schema: { tags, params: sectorsParams, body: sectorBody, response: { 201: sectorItem, ...errorResponses } },
    handler: async (req, reply) => reply.status(201).send(await svc.create(actorOf(req), req.params.site_id, req.body)),
  });
  r.put(`${base}/:sector_id`, {
    config: { access: access.can('inventory.write') },
    schema: {
      tags,
      description: 'Replaces every field of a sector (what is left out takes its default).',
      params: sectorParams,
      body: sectorBody,
      response: { 200: sectorItem, ...errorResponses },
    },
    handler: (req) => svc.replace(actorOf(req), req.params.site_id, req.params.sector_id, req.body),
  });
  r.delete(`${base}/:sector_id`, {
    config: { access: access.can('inventory.delete') },
    schema: {
      tags,
      description: 'Deletes a sector; its devices stay in the site, in no sector.',
      params: sectorParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await svc.remove(actorOf(req), req.params.site_id, req.params.sector_id);
      return reply.status(204).send(null);
    },
  });
  r.put('/api/tenants/:tenant_id/devices/:device_id/sector', {
    config: { access: access.can('inventory.write') },
    schema: {
      tags,
      description:
        "Puts a device in a sector, and in the sector's site when it is in none; a device in another site is refused (`device_in_other_site`). `null` takes it out of its sector.",
      params: deviceSectorParams,
      body: deviceSectorBody,
      response: { 200: assignmentOut, ...errorResponses },
    },
    handler: (req) => svc.setDeviceSector(actorOf(req), req.params.device_id, req.body.sector_id),
  });
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, listQuery, page, tenantParams } from '../../platform/http/schemas.js';
import { tenantCreateBody, tenantOut, tenantUpdateBody } from './tenants.schema.js';
import type { TenantsService } from './tenants.service.js';

export function tenantsRoutes(app: FastifyInstance, tenants: TenantsService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tenants'];
  r.get('/api/tenants', {
    config: { access: access.can('tenants.list') },
    schema: { tags, querystring: z.strictObject(listQuery), response: { 200: page(tenantOut), ...errorResponses } },
    handler: (req) => tenants.list(actorOf(req), req.query.limit, req.query.offset),
  });
  r.post('/api/tenants', {
    config: { access: access.can('tenants.create') },
    schema: { tags, body: tenantCreateBody, response: { 201: tenantOut, ...errorResponses } },
    handler: async (req, reply) => reply.status(201).send(await tenants.create(actorOf(req), req.body)),
  });
  r.get('/api/tenants/:tenant_id', {
    config: { access: access.can('tenants.read') },
    schema: { tags, params: tenantParams, response: { 200: tenantOut, ...errorResponses } },
    handler: (req) => tenants.get(actorOf(req), req.params.tenant_id),
  });
  r.patch('/api/tenants/:tenant_id', {
    config: { access: access.can('tenants.update') },
    schema: { tags, params: tenantParams, body: tenantUpdateBody, response: { 200: tenantOut, ...errorResponses } },
    handler: (req) => tenants.update(actorOf(req), req.params.tenant_id, req.body),
  });
  r.delete('/api/tenants/:tenant_id', {
    config: { access: access.can('tenants.delete') },
    schema: { tags, params: tenantParams, response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      await tenants.remove(actorOf(req), req.params.tenant_id);
      return reply.status(204).send(null);
    },
  });
}

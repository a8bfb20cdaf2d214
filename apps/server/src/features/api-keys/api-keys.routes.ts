import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, page, tenantParams } from '../../platform/http/schemas.js';
import { apiKeyCreateBody, apiKeyCreatedOut, apiKeyListQuery, apiKeyOut } from './api-keys.schema.js';
import type { ApiKeysService } from './api-keys.service.js';

export function apiKeysRoutes(app: FastifyInstance, apiKeys: ApiKeysService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['api-keys'];
  const base = '/api/tenants/:tenant_id/api-keys';
  r.get(base, {
    config: { access: access.can('api_keys.list') },
    schema: {
      tags,
      params: tenantParams,
      querystring: apiKeyListQuery,
      response: { 200: page(apiKeyOut), ...errorResponses },
    },
    handler: (req) =>
      apiKeys.list(actorOf(req), {
        limit: req.query.limit,
        offset: req.query.offset,
        includeRevoked: req.query.include_revoked === 'true',
      }),
  });
  r.post(base, {
    config: { access: access.can('api_keys.create') },
    schema: {
      tags,
      params: tenantParams,
      body: apiKeyCreateBody,
      response: { 201: apiKeyCreatedOut, ...errorResponses },
    },
    handler: async (req, reply) => reply.status(201).send(await apiKeys.create(actorOf(req), req.body)),
  });
  r.delete(`${base}/:key_id`, {
    config: { access: access.can('api_keys.revoke') },
    schema: { tags, params: idParams('key_id'), response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      await apiKeys.revoke(actorOf(req), String(req.params.key_id));
      return reply.status(204).send(null);
    },
  });
}

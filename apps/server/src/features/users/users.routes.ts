import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, page, tenantParams } from '../../platform/http/schemas.js';
import { userCreateBody, userListQuery, userOut, userUpdateBody } from './users.schema.js';
import type { UsersService } from './users.service.js';

export function usersRoutes(app: FastifyInstance, users: UsersService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];
  const userParams = idParams('user_id');
  const base = '/api/tenants/:tenant_id/users';
  r.get(base, {
    config: { access: access.can('users.list') },
    schema: {
      tags,
      params: tenantParams,
      querystring: userListQuery,
      response: { 200: page(userOut), ...errorResponses },
    },
    handler: (req) => users.list(actorOf(req), req.query),
  });
  r.post(base, {
    config: { access: access.can('users.create') },
    schema: { tags, params: tenantParams, body: userCreateBody, response: { 201: userOut, ...errorResponses } },
    handler: async (req, reply) => reply.status(201).send(await users.create(actorOf(req), req.body)),
  });
  r.get(`${base}/:user_id`, {
    config: { access: access.can('users.read') },
    schema: { tags, params: userParams, response: { 200: userOut, ...errorResponses } },
    handler: (req) => users.get(actorOf(req), String(req.params.user_id)),
  });
  r.patch(`${base}/:user_id`, {
    config: { access: access.can('users.update') },
    schema: { tags, params: userParams, body: userUpdateBody, response: { 200: userOut, ...errorResponses } },
    handler: (req) => users.update(actorOf(req), String(req.params.user_id), req.body),
  });
  r.delete(`${base}/:user_id`, {
    config: { access: access.can('users.delete') },
    schema: { tags, params: userParams, response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      await users.remove(actorOf(req), String(req.params.user_id));
      return reply.status(204).send(null);
    },
  });
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, page, tenantParams } from '../../platform/http/schemas.js';
import { profileCreateBody, profileListQuery, profileOut, profileUpdateBody } from './credential-profiles.schema.js';
import type { CredentialProfilesService } from './credential-profiles.service.js';

export function credentialProfilesRoutes(app: FastifyInstance, profiles: CredentialProfilesService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['credential-profiles'];
  const base = '/api/tenants/:tenant_id/credential-profiles';
  const itemParams = idParams('profile_id');
  r.get(base, {
    config: { access: access.can('credential_profiles.read') },
    schema: {
      tags,
      params: tenantParams,
      querystring: profileListQuery,
      response: { 200: page(profileOut), ...errorResponses },
    },
    handler: (req) => profiles.list(actorOf(req), req.query),
  });
  r.post(base, {
    config: { access: access.can('credential_profiles.write') },
    schema: { tags, params: tenantParams, body: profileCreateBody, response: { 201: profileOut, ...errorResponses } },
    handler: async (req, reply) => reply.status(201).send(await profiles.create(actorOf(req), req.body)),
  });
  r.get(`${base}/:profile_id`, {
    config: { access: access.can('credential_profiles.read') },
    schema: { tags, params: itemParams, response: { 200: profileOut, ...errorResponses } },
    handler: (req) => profiles.get(actorOf(req), String(req.params.profile_id)),
  });
  r.patch(`${base}/:profile_id`, {
    config: { access: access.can('credential_profiles.write') },
    schema: { tags, params: itemParams, body: profileUpdateBody, response: { 200: profileOut, ...errorResponses } },
    handler: (req) => profiles.update(actorOf(req), String(req.params.profile_id), req.body),
  });
  r.delete(`${base}/:profile_id`, {
    config: { access: access.can('credential_profiles.delete') },
    schema: { tags, params: itemParams, response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      await profiles.remove(actorOf(req), String(req.params.profile_id));
      return reply.status(204).send(null);
    },
  });
}

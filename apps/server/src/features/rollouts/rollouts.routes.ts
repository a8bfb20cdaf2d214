import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, tenantParams } from '../../platform/http/schemas.js';
import {
  backupQueued,
  keptResult,
  type ResumeBody,
  resumeBody,
  rolloutDetail,
  rolloutDevicesQuery,
  rolloutListPage,
  rolloutListQuery,
} from './rollouts.schema.js';
import type { RolloutsService } from './rollouts.service.js';

/** Rollouts under /api/tenants/{tenant_id}/rollouts: progress and control (they are started by their features). */
export function rolloutsRoutes(app: FastifyInstance, svc: RolloutsService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['rollouts'];
  const base = '/api/tenants/:tenant_id/rollouts';
  const params = idParams('rollout_id');
  r.get(base, {
    config: { access: access.can('rollouts.read') },
    schema: {
      tags,
      params: tenantParams,
      querystring: rolloutListQuery,
      response: { 200: rolloutListPage, ...errorResponses },
    },
    handler: (req) => svc.list(actorOf(req), req.query),
  });
  r.get(`${base}/:rollout_id`, {
    config: { access: access.can('rollouts.read') },
    schema: { tags, params, querystring: rolloutDevicesQuery, response: { 200: rolloutDetail, ...errorResponses } },
    handler: (req) => svc.get(actorOf(req), String(req.params.rollout_id), req.query),
  });
  const action = (
    path: string,
    run: (id: string, req: { body: unknown; actor: ReturnType<typeof actorOf> }) => unknown,
    body?: z.ZodType,
  ) =>
    r.post(`${base}/:rollout_id/${path}`, {
      config: { access: access.can('rollouts.control') },
      schema: { tags, params, ...(body ? { body } : {}), response: { 200: rolloutDetail, ...errorResponses } },
      handler: (req) => run(String(req.params.rollout_id), { body: req.body, actor: actorOf(req) }) as never,
    });
  action('pause', (id, { actor }) => svc.pause(actor, id));
  action('resume', (id, { actor, body }) => svc.resume(actor, id, (body ?? {}) as ResumeBody), resumeBody.optional());
  action('cancel', (id, { actor }) => svc.cancel(actor, id));
  action('retry-failed', (id, { actor }) => svc.retryFailed(actor, id));
  r.post(`${base}/:rollout_id/keep`, {
    config: { access: access.can('changes.apply') },
    schema: {
      tags,
      description: 'Test mode: Keep every change of the rollout that awaits confirmation',
      params,
      response: { 200: keptResult, ...errorResponses },
    },
    handler: (req) => svc.keepAll(actorOf(req), String(req.params.rollout_id)),
  });
  r.post(`${base}/:rollout_id/backup`, {
    config: { access: access.can('config.backup') },
    schema: { tags, params, response: { 202: backupQueued, ...errorResponses } },
    handler: async (req, reply) =>
      reply.status(202).send(await svc.backup(actorOf(req), String(req.params.rollout_id))),
  });
}

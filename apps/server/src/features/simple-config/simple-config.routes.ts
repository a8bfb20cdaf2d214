import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/principal.js';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { rolloutAccepted } from '../rollouts/rollouts.schema.js';
import type { Tab } from './forms.js';
import {
  accepted,
  applyBody,
  deviceParams,
  dryRun,
  preference,
  preferenceBody,
  rolloutBody,
  tabParams,
  tabView,
  tenantTabParams,
} from './simple-config.schema.js';
import type { SimpleConfigService } from './simple-config.service.js';

const dev = '/api/tenants/:tenant_id/devices/:device_id';
const tags = ['simple-config'];
// Each reaches a router (or starts something that will): bounded per caller, as the config editor's routes.
const reachOut = { max: 30, timeWindow: '1 minute' };

export function simpleConfigRoutes(
  fastify: FastifyInstance,
  svc: SimpleConfigService & {
    applyMany: (actor: Actor, tab: Tab, body: z.infer<typeof rolloutBody>) => Promise<{ rollout_id: string }>;
  },
) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(`${dev}/simple-config/:tab`, {
    config: { access: access.can('changes.read'), rateLimit: reachOut },
    schema: {
      tags,
      summary: 'A Simple Config tab as the device has it now (read over the API; passwords never returned)',
      params: tabParams,
      response: { 200: tabView, ...errorResponses },
    },
    handler: (req) => svc.get(actorOf(req), req.params.device_id, req.params.tab),
  });

  app.post(`${dev}/simple-config/:tab`, {
    config: { access: access.can('changes.apply'), rateLimit: reachOut },
    schema: {
      tags,
      summary: 'Apply a tab through the apply-with-revert engine (202 with the operation), or a dry run',
      params: tabParams,
      body: applyBody,
      response: { 200: dryRun, 202: accepted, ...errorResponses },
    },
    handler: async (req, reply) => {
      const r = await svc.apply(actorOf(req), req.params.device_id, req.params.tab, req.body);
      reply.code(r.operation_id === null ? 200 : 202);
      return r;
    },
  });

  app.post('/api/tenants/:tenant_id/simple-config/:tab/rollouts', {
    config: { access: access.can('changes.apply'), rateLimit: reachOut },
    schema: {
      tags,
      summary: 'Apply the same form to many devices: a rollout in waves, each device one safe-change operation',
      params: tenantTabParams,
      body: rolloutBody,
      response: { 202: rolloutAccepted, ...errorResponses },
    },
    handler: async (req, reply) => reply.code(202).send(await svc.applyMany(actorOf(req), req.params.tab, req.body)),
  });

  app.get(`${dev}/view-preference`, {
    config: { access: access.can('changes.read') },
    schema: {
      tags,
      summary: "The signed-in person's view of this device: Simple Config or the standard editor",
      params: deviceParams,
      response: { 200: preference, ...errorResponses },
    },
    handler: (req) => svc.viewPreference(actorOf(req), req.params.device_id),
  });

  app.put(`${dev}/view-preference`, {
    config: { access: access.can('changes.read') },
    schema: {
      tags,
      summary: "Keep the signed-in person's view of this device (people only: API keys have none)",
      params: deviceParams,
      body: preferenceBody,
      response: { 200: preference, ...errorResponses },
    },
    handler: (req) => svc.setViewPreference(actorOf(req), req.params.device_id, req.body.mode),
  });
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { tenantParams } from './alerts.schema.js';
import {
  channelCreate,
  channelCreated,
  channelItem,
  channelParams,
  channelsList,
  channelUpdate,
  templateHelp,
  testResult,
} from './channels.schema.js';
import type { ChannelsService } from './channels.service.js';

const base = '/api/tenants/:tenant_id/notification-channels';
const tags = ['notifications'];

export function channelsRoutes(fastify: FastifyInstance, svc: ChannelsService) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const read = { access: access.can('notifications.read') };
  const write = { access: access.can('notifications.write') };

  app.get(base, {
    config: read,
    schema: {
      tags,
      summary: 'Notification channels',
      params: tenantParams,
      response: { 200: channelsList, ...errorResponses },
    },
    handler: (req) => svc.list(actorOf(req)),
  });
  app.post(base, {
    config: write,
    schema: {
      tags,
      summary: 'Create a channel (a webhook answers its signing secret, once)',
      params: tenantParams,
      body: channelCreate,
      response: { 201: channelCreated, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return svc.create(actorOf(req), req.body);
    },
  });
  app.get(`${base}/template-variables`, {
    config: read,
    schema: {
      tags,
      summary: 'The variables a message template may use, and the default messages',
      params: tenantParams,
      response: { 200: templateHelp, ...errorResponses },
    },
    handler: (req) => svc.templateHelp(actorOf(req)),
  });
  app.get(`${base}/:channel_id`, {
    config: read,
    schema: { tags, summary: 'One channel', params: channelParams, response: { 200: channelItem, ...errorResponses } },
    handler: (req) => svc.get(actorOf(req), req.params.channel_id),
  });
  app.patch(`${base}/:channel_id`, {
    config: write,
    schema: {
      tags,
      summary: 'Change a channel',
      params: channelParams,
      body: channelUpdate,
      response: { 200: channelCreated, ...errorResponses },
    },
    handler: (req) => svc.update(actorOf(req), req.params.channel_id, req.body),
  });
  app.delete(`${base}/:channel_id`, {
    config: write,
    schema: {
      tags,
      summary: 'Delete a channel',
      params: channelParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await svc.remove(actorOf(req), req.params.channel_id);
      reply.code(204);
      return null;
    },
  });
  app.post(`${base}/:channel_id/test`, {
    // Reaches out to a receiver: bounded per caller.
    config: { access: access.can('notifications.test'), rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: 'Send a test notification now',
      params: channelParams,
      response: { 200: testResult, ...errorResponses },
    },
    handler: (req) => svc.test(actorOf(req), req.params.channel_id),
  });
}

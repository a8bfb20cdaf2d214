import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, tenantParams } from '../../platform/http/schemas.js';
import { eventsPage, eventsQuery } from './events.schema.js';
import type { EventsService } from './events.service.js';

export function eventsRoutes(app: FastifyInstance, events: EventsService) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/tenants/:tenant_id/events', {
    config: { access: access.can('events.read') },
    schema: {
      tags: ['events'],
      params: tenantParams,
      querystring: eventsQuery,
      response: { 200: eventsPage, ...errorResponses },
    },
    handler: (req) => events.list(actorOf(req), req.query),
  });
}

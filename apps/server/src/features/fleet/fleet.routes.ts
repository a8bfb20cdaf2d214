import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, tenantParams } from '../../platform/http/schemas.js';
import { summaryOut } from './fleet.schema.js';
import type { FleetService } from './fleet.service.js';

export function fleetRoutes(app: FastifyInstance, fleet: FleetService) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/tenants/:tenant_id/fleet/summary', {
    config: { access: access.can('devices.read') },
    schema: { tags: ['fleet'], params: tenantParams, response: { 200: summaryOut, ...errorResponses } },
    handler: (req) => fleet.summary(actorOf(req)),
  });
}

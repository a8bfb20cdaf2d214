import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, tenantParams } from '../../platform/http/schemas.js';
import { transparencyPage, transparencyQuery } from './transparency.schema.js';
import type { TransparencyService } from './transparency.service.js';

export function transparencyRoutes(app: FastifyInstance, svc: TransparencyService) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/tenants/:tenant_id/transparency/events', {
    config: { access: access.can('transparency.read') },
    schema: {
      tags: ['transparency'],
      description:
        "The key-access log: every use of the organisation's data keys (a device credential, a backup, a CA key, a " +
        'channel secret…) by a user, an API key, the poller, a worker or the CLI, per period (a minute by default) with a count, newest ' +
        'first. `actor`: a kind, an id or a label; `key`: `transit:v2`, `local`, `v3`; `object`: a prefix.',
      params: tenantParams,
      querystring: transparencyQuery,
      response: { 200: transparencyPage, ...errorResponses },
    },
    handler: (req) => svc.events(actorOf(req), req.query),
  });
}

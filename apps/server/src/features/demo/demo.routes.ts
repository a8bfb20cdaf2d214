import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { DemoService } from './demo.service.js';

const demoOut = z.object({
  active: z.boolean(),
  tenant_id: z.string().nullable(),
  devices: z.number().int(),
  simulator_running: z.boolean(),
});

export function demoRoutes(app: FastifyInstance, demo: DemoService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['demo'];
  const config = { access: access.can('demo.manage') };
  r.get('/api/demo', {
    config,
    schema: { tags, response: { 200: demoOut, ...errorResponses } },
    handler: (req) => demo.status(actorOf(req)),
  });
  r.post('/api/demo', {
    config,
    schema: {
      tags,
      description: 'Creates the "Demo (simulated)" organisation with 25 simulated routers (idempotent).',
      response: { 200: demoOut, ...errorResponses },
    },
    handler: (req) => demo.start(actorOf(req)),
  });
  r.delete('/api/demo', {
    config,
    schema: {
      tags,
      description: 'Removes the demo organisation and stops its simulated routers.',
      response: { 200: demoOut, ...errorResponses },
    },
    handler: (req) => demo.remove(actorOf(req)),
  });
}

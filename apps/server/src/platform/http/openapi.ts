import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { access } from './access.js';

/** OpenAPI 3.1 from the routes' zod schemas at /api/openapi.json; an interactive page at /docs outside production. */
export async function registerOpenApi(app: FastifyInstance, opts: { version: string; docsUi: boolean }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'TOD — The Other Dude',
        version: opts.version,
        description: 'Fleet management for MikroTik RouterOS. Errors are {"detail": "...", "code": "..."}.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'tod_access' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: access.public } }, async () =>
    app.swagger(),
  );
  if (opts.docsUi) {
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { persistAuthorization: false } });
  }
}

import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type Authenticator, registerAccessControl, type TenantExists } from './access.js';
import { registerErrorHandling } from './error-handler.js';
import { registerHttpMetrics } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import { registerSecurityHeaders } from './security-headers.js';

export type HttpOptions = {
  log: Logger;
  version: string;
  production: boolean;
  docsUi: boolean;
  corsOrigins: string[];
  bodyLimit: number;
  trustProxy: boolean;
  metrics: Registry;
  /** With it, /metrics on this port asks for it as a bearer token; in production, without it, there is none here. */
  metricsToken?: string;
  redis?: Redis;
  authenticate: Authenticator;
  tenantExists: TenantExists;
  routes: (app: FastifyInstance) => Promise<void>;
};

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The HTTP surface: platform plugins in a fixed order, then the features' routes. */
export async function buildHttpApp(o: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: o.log,
    bodyLimit: o.bodyLimit,
    trustProxy: o.trustProxy,
    // Honour a caller's request id when it is sane, so logs correlate across a proxy; otherwise make one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
  });
  registerErrorHandling(app);
  registerSecurityHeaders(app, { production: o.production });
  await app.register(cors, { origin: o.corsOrigins, credentials: true });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    ...(o.redis ? { redis: o.redis, nameSpace: 'tod-rl:' } : {}),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      detail: `too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`,
      code: 'rate_limited',
    }),
  });
  registerHttpMetrics(app, o.metrics, { production: o.production, token: o.metricsToken });
  await registerOpenApi(app, { version: o.version, docsUi: o.docsUi });
  registerAccessControl(app, o.authenticate, o.tenantExists);
  await app.register(o.routes);
  return app;
}

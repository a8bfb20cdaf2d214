import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ACCESS_COOKIE } from '../features/auth/auth.cookies.js';
import type { Principal } from '../platform/auth/principal.js';
import type { Bus } from '../platform/bus/types.js';
import type { Config } from '../platform/config/config.js';
import { buildHttpApp } from '../platform/http/app.js';
import { AppError } from '../platform/http/errors.js';
import { createMetricsRegistry } from '../platform/http/metrics.js';
import { registerWebApp } from '../platform/http/static.js';
import type { ReadinessCheck } from '../platform/readiness.js';
import type { Services } from './services.js';
import { version } from './version.js';

/** Credentials, in order: X-API-Key, Authorization: Bearer (an access token or an API key), the access cookie. */
function authenticator(services: Services) {
  return async (req: FastifyRequest): Promise<Principal | undefined> => {
    const header = req.headers['x-api-key'];
    const bearer = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const apiKey = typeof header === 'string' ? header : bearer?.startsWith('mktp_') ? bearer : undefined;
    if (apiKey !== undefined) {
      const p = await services.apiKeys.authenticate(apiKey);
      if (!p) throw new AppError('api_key_invalid', 'API key is unknown, revoked or expired');
      return p;
    }
    const token = bearer ?? req.cookies?.[ACCESS_COOKIE];
    return token ? services.auth.authenticateAccessToken(token) : undefined;
  };
}

export async function createHttpServer(o: {
  config: Config;
  log: Logger;
  services: Services;
  readiness: ReadinessCheck[];
  redis?: Redis;
  metrics?: Registry;
  /** Where live updates for SSE come from; without it the stream only sends heartbeats. */
  live?: Pick<Bus, 'subscribeTenant'>;
  /** The built web app to serve; found next to the sources or bundle when omitted. */
  webRoot?: string;
}): Promise<FastifyInstance> {
  const { config, services } = o;
  return buildHttpApp({
    log: o.log,
    version,
    production: config.isProduction,
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
    docsUi: !config.isProduction,
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    metrics: o.metrics ?? createMetricsRegistry(),
    redis: o.redis,
    authenticate: authenticator(services),
    tenantExists: services.tenants.exists,
    routes: async (app) => {
      const { assembly } = services;
      // Tests may give their own readiness checks, Redis or live source for one HTTP app.
      const bus = o.live
        ? Object.assign(Object.create(services.bus) as Bus, { subscribeTenant: o.live.subscribeTenant.bind(o.live) })
        : services.bus;
      for (const f of assembly.features) {
        if (!f.routes) continue;
        await f.routes(app, {
          ...assembly.contextOf(f),
          readiness: o.readiness,
          bus,
          ...(o.redis ? { redis: o.redis } : {}),
        });
      }
      // Last: the web app's catch-all must not shadow any API route.
      await registerWebApp(app, { root: o.webRoot });
    },
  });
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { apiKeysRoutes } from '../features/api-keys/api-keys.routes.js';
import { auditRoutes } from '../features/audit/audit.routes.js';
import { ACCESS_COOKIE } from '../features/auth/auth.cookies.js';
import { authRoutes } from '../features/auth/auth.routes.js';
import { deviceGroups, deviceTags, sites } from '../features/catalog/catalogs.js';
import { credentialProfilesRoutes } from '../features/credential-profiles/credential-profiles.routes.js';
import { demoRoutes } from '../features/demo/demo.routes.js';
import { devicesRoutes } from '../features/devices/devices.routes.js';
import { eventsRoutes } from '../features/events/events.routes.js';
import { fleetRoutes } from '../features/fleet/fleet.routes.js';
import { healthRoutes } from '../features/health/health.routes.js';
import { metricsRoutes } from '../features/metrics/metrics.routes.js';
import { passwordResetRoutes } from '../features/password-reset/password-reset.routes.js';
import { srpRoutes } from '../features/srp/srp.routes.js';
import { createSrpService } from '../features/srp/srp.service.js';
import { redisSrpStore } from '../features/srp/srp.store.js';
import { sseRoutes } from '../features/sse/sse.routes.js';
import { tenantsRoutes } from '../features/tenants/tenants.routes.js';
import { usersRoutes } from '../features/users/users.routes.js';
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
    docsUi: !config.isProduction,
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    metrics: o.metrics ?? createMetricsRegistry(),
    redis: o.redis,
    authenticate: authenticator(services),
    tenantExists: services.tenants.exists,
    routes: async (app) => {
      healthRoutes(app, { version, environment: config.ENVIRONMENT, checks: o.readiness });
      authRoutes(app, services.auth, {
        secureCookies: config.isProduction,
        ratePerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE,
      });
      const srpStore = o.redis ? redisSrpStore(o.redis) : undefined;
      srpRoutes(app, createSrpService({ auth: services.auth, serverSecret: config.jwtSecret, store: srpStore }), {
        secureCookies: config.isProduction,
        ratePerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE,
      });
      passwordResetRoutes(app, services.passwordReset, {
        secureCookies: config.isProduction,
        ratePerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE,
      });
      tenantsRoutes(app, services.tenants);
      usersRoutes(app, services.users);
      apiKeysRoutes(app, services.apiKeys);
      auditRoutes(app, services.audit);
      sites.routes(app, services.sites);
      deviceGroups.routes(app, services.deviceGroups);
      deviceTags.routes(app, services.deviceTags);
      credentialProfilesRoutes(app, services.credentialProfiles);
      eventsRoutes(app, services.events);
      fleetRoutes(app, services.fleet);
      demoRoutes(app, services.demo);
      metricsRoutes(app, services.metrics);
      const live = o.live ?? services.bus;
      sseRoutes(app, { subscribe: live.subscribeTenant.bind(live) });
      devicesRoutes(app, {
        devices: services.devices,
        importDeps: { appPool: services.appPool, envelope: services.envelope },
        scanTimeoutMs: config.SCAN_TIMEOUT_MS,
        scanPerMinute: config.SCAN_RATE_LIMIT_PER_MINUTE,
      });
      // Last: the web app's catch-all must not shadow any API route.
      await registerWebApp(app, { root: o.webRoot });
    },
  });
}

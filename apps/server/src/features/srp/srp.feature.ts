import { defineFeature } from '../../platform/feature/feature.js';
import { srpRoutes } from './srp.routes.js';
import { createSrpService, type SrpService } from './srp.service.js';
import { redisSrpStore } from './srp.store.js';

const errors = { reauthentication_failed: 403 } as const;

declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    srp: SrpService;
  }
}

/** SRP-6a sign-in and enrolment; handshake state in Redis when REDIS_URL is set, else PostgreSQL. */
export const srpFeature = defineFeature({
  name: 'srp',
  errors,
  service: ({ config, services, redis }) =>
    createSrpService({
      auth: services.auth,
      serverSecret: config.jwtSecret,
      ...(redis ? { store: redisSrpStore(redis) } : {}),
    }),
  routes: (app, { service, config }) =>
    srpRoutes(app, service, { secureCookies: config.isProduction, ratePerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE }),
});

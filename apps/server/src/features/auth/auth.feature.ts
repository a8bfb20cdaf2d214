import { defineFeature } from '../../platform/feature/feature.js';
import { authRoutes } from './auth.routes.js';
import { type AuthService, createAuthService } from './auth.service.js';
import { createTokenSigner } from './tokens.js';

const errors = {
  token_expired: 401,
  invalid_credentials: 401,
  invalid_refresh_token: 401,
  account_disabled: 403,
} as const;

declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    auth: AuthService;
  }
}

/** Sessions, access and refresh tokens, password sign-in (enrolment only), /me. */
export const authFeature = defineFeature({
  name: 'auth',
  errors,
  service: ({ config, pools, log }) =>
    createAuthService({
      systemPool: pools.system,
      log,
      signer: createTokenSigner(config.jwtSecret, config.JWT_ACCESS_TOKEN_EXPIRE_MINUTES),
      refreshDays: config.JWT_REFRESH_TOKEN_EXPIRE_DAYS,
    }),
  routes: (app, { service, config }) =>
    authRoutes(app, service, { secureCookies: config.isProduction, ratePerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE }),
  schedules: ({ service }) => [{ name: 'auth.cleanup_sessions', everyMs: 3_600_000, run: service.cleanupExpired }],
});

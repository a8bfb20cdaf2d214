import { defineFeature } from '../../platform/feature/feature.js';
import { accountRoutes } from './account.routes.js';
import { type AccountService, createAccountService } from './account.service.js';

const errors = { last_super_admin: 409, last_organisation_admin: 409, deletion_not_confirmed: 422 } as const;

declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    account: AccountService;
  }
}

/** A person's own account (GDPR): export everything TOD holds about them; delete it, with a receipt. */
export const accountFeature = defineFeature({
  name: 'account',
  errors,
  service: ({ pools, services }) =>
    createAccountService({
      systemPool: pools.system,
      auth: services.auth,
      srp: services.srp,
      audit: services.audit,
    }),
  routes: (app, { service, config }) =>
    accountRoutes(app, service, {
      secureCookies: config.isProduction,
      ratePerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE,
    }),
});

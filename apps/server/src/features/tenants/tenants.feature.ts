import { defineFeature } from '../../platform/feature/feature.js';
import { tenantsRoutes } from './tenants.routes.js';
import { createTenantsService, type TenantsService } from './tenants.service.js';

const permissions = {
  'tenants.list': 'viewer',
  'tenants.read': 'viewer',
  'tenants.create': 'super_admin',
  'tenants.update': 'admin',
  'tenants.delete': 'super_admin',
} as const;
const errors = { tenant_name_taken: 409 } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    tenants: TenantsService;
  }
}

export const tenantsFeature = defineFeature({
  name: 'tenants',
  permissions,
  errors,
  service: ({ pools }) => createTenantsService({ appPool: pools.app, systemPool: pools.system }),
  routes: (app, { service }) => tenantsRoutes(app, service),
});

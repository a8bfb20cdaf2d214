import { defineFeature } from '../../platform/feature/feature.js';
import { apiKeysRoutes } from './api-keys.routes.js';
import { type ApiKeysService, createApiKeysService } from './api-keys.service.js';

const permissions = { 'api_keys.list': 'admin', 'api_keys.create': 'admin', 'api_keys.revoke': 'admin' } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    apiKeys: ApiKeysService;
  }
}

export const apiKeysFeature = defineFeature({
  name: 'apiKeys',
  permissions,
  service: ({ pools }) => createApiKeysService({ appPool: pools.app, systemPool: pools.system }),
  routes: (app, { service }) => apiKeysRoutes(app, service),
});

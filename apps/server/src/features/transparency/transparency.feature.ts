import { defineFeature } from '../../platform/feature/feature.js';
import { pruneKeyAccessLog } from '../../platform/kms/access-log.js';
import { transparencyRoutes } from './transparency.routes.js';
import { createTransparencyService, type TransparencyService } from './transparency.service.js';

const permissions = { 'transparency.read': 'admin' } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    transparency: TransparencyService;
  }
}

/**
 * Transparency: the key-access log (platform/kms/access-log.ts writes it) per organisation, and its retention
 * (KEY_ACCESS_RETENTION_DAYS).
 */
export const transparencyFeature = defineFeature({
  name: 'transparency',
  permissions,
  service: ({ pools }) => createTransparencyService({ appPool: pools.app }),
  routes: (app, { service }) => transparencyRoutes(app, service),
  schedules: ({ pools, config }) => [
    {
      name: 'key_access.retention',
      everyMs: 3_600_000,
      run: () => pruneKeyAccessLog(pools.system, config.KEY_ACCESS_RETENTION_DAYS),
    },
  ],
});

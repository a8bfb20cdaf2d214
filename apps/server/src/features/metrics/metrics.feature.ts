import { defineFeature } from '../../platform/feature/feature.js';
import { metricsRoutes } from './metrics.routes.js';
import { createMetricsService, type MetricsService } from './metrics.service.js';

const permissions = { 'metrics.read': 'viewer' } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    metrics: MetricsService;
  }
}

/** Device health and interface series at the resolution the range needs. */
export const metricsFeature = defineFeature({
  name: 'metrics',
  permissions,
  service: ({ pools }) => createMetricsService({ readPool: pools.read }),
  routes: (app, { service }) => metricsRoutes(app, service),
});

import { defineFeature } from '../../platform/feature/feature.js';
import { auditRoutes } from './audit.routes.js';
import { type AuditService, createAuditService } from './audit.service.js';

const permissions = { 'audit.list': 'admin', 'audit.verify': 'admin', 'audit.global': 'super_admin' } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    audit: AuditService;
  }
}

export const auditFeature = defineFeature({
  name: 'audit',
  permissions,
  service: ({ pools, envelope }) => createAuditService({ appPool: pools.app, systemPool: pools.system, envelope }),
  routes: (app, { service }) => auditRoutes(app, service),
});

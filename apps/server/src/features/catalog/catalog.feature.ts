import { defineFeature } from '../../platform/feature/feature.js';
import { catalogRoutes } from './catalog.routes.js';
import { type CatalogService, createCatalogService } from './catalog.service.js';
import { deviceGroups, deviceTags, sites } from './catalogs.js';

const permissions = { 'inventory.read': 'viewer', 'inventory.write': 'operator', 'inventory.delete': 'admin' } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    sites: CatalogService;
    deviceGroups: CatalogService;
    deviceTags: CatalogService;
  }
}

/** Sites, device groups and device tags: one generic catalog definition each (catalogs.ts). */
export const sitesFeature = defineFeature({
  name: 'sites',
  permissions,
  service: ({ pools }) => createCatalogService(sites, pools.app),
  // features/sites serves the rest, with device counts and the health roll-up.
  routes: (app, { service }) => catalogRoutes(app, sites, service, { omit: ['list', 'create', 'get', 'update'] }),
});
export const deviceGroupsFeature = defineFeature({
  name: 'deviceGroups',
  service: ({ pools }) => createCatalogService(deviceGroups, pools.app),
  routes: (app, { service }) => catalogRoutes(app, deviceGroups, service),
});
export const deviceTagsFeature = defineFeature({
  name: 'deviceTags',
  service: ({ pools }) => createCatalogService(deviceTags, pools.app),
  routes: (app, { service }) => catalogRoutes(app, deviceTags, service),
});

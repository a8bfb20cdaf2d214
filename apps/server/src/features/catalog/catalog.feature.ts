import { defineFeature } from '../../platform/feature/feature.js';
import { deviceGroups, deviceTags, sites } from './catalogs.js';

const permissions = { 'inventory.read': 'viewer', 'inventory.write': 'operator', 'inventory.delete': 'admin' } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    sites: ReturnType<typeof sites.service>;
    deviceGroups: ReturnType<typeof deviceGroups.service>;
    deviceTags: ReturnType<typeof deviceTags.service>;
  }
}

/** Sites, device groups and device tags: one generic catalog definition each (catalogs.ts). */
export const sitesFeature = defineFeature({
  name: 'sites',
  permissions,
  service: ({ pools }) => sites.service(pools.app),
  routes: (app, { service }) => sites.routes(app, service),
});
export const deviceGroupsFeature = defineFeature({
  name: 'deviceGroups',
  service: ({ pools }) => deviceGroups.service(pools.app),
  routes: (app, { service }) => deviceGroups.routes(app, service),
});
export const deviceTagsFeature = defineFeature({
  name: 'deviceTags',
  service: ({ pools }) => deviceTags.service(pools.app),
  routes: (app, { service }) => deviceTags.routes(app, service),
});

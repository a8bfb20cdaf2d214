import { defineFeature } from '../../platform/feature/feature.js';
import { sectorsRoutes } from './sectors.routes.js';
import { createSectorsService, type SectorsService } from './sectors.service.js';
import { sitesRoutes } from './sites.routes.js';
import { createSitesService, type SitesService } from './sites.service.js';

// Permissions are the catalog's (inventory.read/write/delete): a site is an inventory entry, a sector is part of one.
const errors = {
  /** A bulk assignment named devices that do not exist (or are another organisation's). */
  unknown_devices: 422,
  /** A device cannot join a sector of a site other than its own. */
  device_in_other_site: 409,
  /** A sector's AP must be a device of the sector's site. */
  ap_not_in_site: 409,
} as const;

declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    siteManagement: { sites: SitesService; sectors: SectorsService };
  }
}

/** What a site holds: its devices' health, device assignment, and sectors (the site entry itself is catalog/). */
export const siteManagementFeature = defineFeature({
  name: 'siteManagement',
  errors,
  service: ({ pools }) => ({
    sites: createSitesService({ appPool: pools.app }),
    sectors: createSectorsService({ appPool: pools.app }),
  }),
  routes: (app, { service }) => {
    sitesRoutes(app, service.sites);
    sectorsRoutes(app, service.sectors);
  },
});

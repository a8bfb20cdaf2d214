import { z } from 'zod';
import { idParams } from '../../platform/http/schemas.js';
import { catalogItem, catalogListQuery } from '../catalog/catalog.schema.js';
import { deviceStatuses } from '../devices/devices.schema.js';

// A site's own fields (name, address, coordinates) are the catalog's (catalog/catalogs.ts); this feature adds what a
// site holds: its devices' health, the device assignment and its sectors (sectors.schema.ts).

export const siteParams = idParams('id');
export const siteDeviceParams = z.strictObject({ tenant_id: z.uuid(), site_id: z.uuid(), device_id: z.uuid() });
export const siteListQuery = catalogListQuery;
export type SiteListQuery = z.infer<typeof siteListQuery>;

/** A site in the list: the catalog entry and counts from one grouped query. */
export const siteListItem = catalogItem.extend({
  address: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  offline_count: z.number().int(),
  sector_count: z.number().int(),
});

const byStatus = z.object(
  Object.fromEntries(deviceStatuses.map((s) => [s, z.number().int()])) as {
    [K in (typeof deviceStatuses)[number]]: z.ZodNumber;
  },
);

export const siteHealth = z.object({
  device_count: z.number().int(),
  devices_by_status: byStatus,
  /** Alert events firing or acknowledged on the site's devices. */
  active_alerts: z.object({
    critical: z.number().int(),
    warning: z.number().int(),
    info: z.number().int(),
    total: z.number().int(),
  }),
  sector_count: z.number().int(),
  /** The latest status change of one of its devices (null: no devices). */
  last_status_change_at: z.string().nullable(),
  /** The latest of: the site's or a sector's edit, a device's status change or edit. */
  last_change_at: z.string(),
});
export type SiteHealth = z.infer<typeof siteHealth>;

/** A site with its health roll-up (GET and PUT of one site). */
export const siteItem = siteListItem.extend({ health: siteHealth });

export const bulkAssignBody = z.strictObject({ device_ids: z.array(z.uuid()).min(1).max(1000) });

/** Where a device is after an assignment. */
export const assignmentOut = z.object({
  device_id: z.uuid(),
  site_id: z.uuid().nullable(),
  sector_id: z.uuid().nullable(),
});
export const bulkAssignOut = z.object({
  site_id: z.uuid(),
  /** Devices now in the site (each once). */
  assigned: z.number().int(),
  /** Of those, the ones that were in another site (and left its sector). */
  moved: z.number().int(),
});

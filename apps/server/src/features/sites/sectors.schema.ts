import { z } from 'zod';
import { listQuery, name } from '../../platform/http/schemas.js';
import { deviceStatuses } from '../devices/devices.schema.js';

export const sectorsParams = z.strictObject({ tenant_id: z.uuid(), site_id: z.uuid() });
export const sectorParams = sectorsParams.extend({ sector_id: z.uuid() });
export const sectorListQuery = z.strictObject({ ...listQuery });
export type SectorListQuery = z.infer<typeof sectorListQuery>;

/** Create and PUT (a full replace): the same body. */
export const sectorBody = z.strictObject({
  name,
  /** Degrees clockwise from true north. */
  azimuth: z.number().int().min(0).max(359),
  /** Beamwidth in degrees; 360 is omnidirectional. */
  width: z.number().int().min(1).max(360),
  /** Centre frequency in MHz. */
  frequency: z.number().int().min(1).max(100_000).nullable().default(null),
  /** The AP serving the sector: a device of the same site. */
  ap_device_id: z.uuid().nullable().default(null),
  notes: z.string().max(2000).default(''),
});
export type SectorBody = z.infer<typeof sectorBody>;

export const sectorItem = z.object({
  id: z.uuid(),
  site_id: z.uuid(),
  name: z.string(),
  azimuth: z.number().int(),
  width: z.number().int(),
  frequency: z.number().int().nullable(),
  ap_device_id: z.uuid().nullable(),
  ap_device_name: z.string().nullable(),
  ap_device_status: z.enum(deviceStatuses).nullable(),
  notes: z.string(),
  /** Devices in the sector. */
  device_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  policies: z.record(z.string(), z.boolean()),
});
export type SectorItem = z.infer<typeof sectorItem>;

export const deviceSectorParams = z.strictObject({ tenant_id: z.uuid(), device_id: z.uuid() });
export const deviceSectorBody = z.strictObject({ sector_id: z.uuid().nullable() });

import { z } from 'zod';
import { ranges } from './resolution.js';

export const windowQuery = {
  range: z.enum(Object.keys(ranges) as [keyof typeof ranges, ...(keyof typeof ranges)[]]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  resolution: z.enum(['raw', '5m', '1h']).optional(),
};
export const healthQuery = z.strictObject(windowQuery);
export const interfacesQuery = z.strictObject({
  ...windowQuery,
  interface: z.union([z.string(), z.array(z.string())]).optional(),
});

/** Columns: name → values, one per sample (`t` in Unix seconds). */
export const series = z.record(z.string(), z.array(z.number().nullable()));
export type Series = z.infer<typeof series>;
const windowOut = { device_id: z.string(), from: z.string(), to: z.string(), resolution: z.string() };

export const healthOut = z.object({ ...windowOut, series });
export const interfacesOut = z.object({ ...windowOut, interfaces: z.array(z.object({ name: z.string(), series })) });

export const latestInterface = z.object({
  name: z.string(),
  type: z.string().nullable(),
  mac_address: z.string().nullable(),
  running: z.boolean().nullable(),
  disabled: z.boolean().nullable(),
  rx_bytes: z.string().nullable(),
  tx_bytes: z.string().nullable(),
  rx_packets: z.string().nullable(),
  tx_packets: z.string().nullable(),
  rx_bps: z.number().nullable(),
  tx_bps: z.number().nullable(),
  rx_pps: z.number().nullable(),
  tx_pps: z.number().nullable(),
  updated_at: z.string(),
});
export type LatestInterface = z.infer<typeof latestInterface>;
export const latestInterfacesOut = z.object({ items: z.array(latestInterface) });

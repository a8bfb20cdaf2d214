import type { paths } from '@/api/schema';

type Get<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer T } } } };
}
  ? T
  : never;
/** A device as the list returns it: every field optional but `id`, because `fields=` may leave any out. */
export type Device = Get<'/api/tenants/{tenant_id}/devices'>['items'][number];
export type DeviceStatus = NonNullable<Device['status']>;
export type DeviceList = { items: Device[]; total: number };
export type FleetSummary = Get<'/api/tenants/{tenant_id}/fleet/summary'>;
export type FleetEvent = Get<'/api/tenants/{tenant_id}/events'>['items'][number];
export type DeviceInterface = Get<'/api/tenants/{tenant_id}/devices/{device_id}/interfaces'>['items'][number];
export type HealthSeries = Get<'/api/tenants/{tenant_id}/devices/{device_id}/metrics/health'>;
export type TrafficSeries = Get<'/api/tenants/{tenant_id}/devices/{device_id}/metrics/interfaces'>;
/** A site, group or tag as the fleet pages use it; tags carry their colour (#rrggbb). */
export type CatalogItem = { id: string; name: string; device_count: number; color?: string };
export type ProbeResult =
  paths['/api/tenants/{tenant_id}/devices/probe']['post']['responses'][200]['content']['application/json'];

/** A number from a JSON number, a bigint string, or nothing. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Used share of a total (memory, disk) in percent. */
export function usedPercent(total: unknown, free: unknown): number | null {
  const t = num(total);
  const f = num(free);
  if (t === null || f === null || t <= 0) return null;
  return (100 * (t - f)) / t;
}

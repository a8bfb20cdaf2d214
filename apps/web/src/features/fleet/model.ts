import type { paths } from '@/api/schema';

/**
 * A device as the list and detail endpoints return it. The OpenAPI schema types only the fields every response has
 * (the rest are `additionalProperties`, because `fields=` may leave them out), so the polled state is typed here.
 * PostgreSQL bigints (memory, disk, uptime) arrive as strings: read them with `num()`.
 */
export type Device = {
  id: string;
  name?: string;
  host?: string;
  port?: number;
  tls_port?: number;
  tls_mode?: string;
  username?: string | null;
  credential_profile_id?: string | null;
  site_id?: string | null;
  group_ids?: string[];
  tag_ids?: string[];
  notes?: string;
  disabled?: boolean;
  is_demo?: boolean;
  status?: DeviceStatus;
  status_reason?: string | null;
  status_since?: string | null;
  last_seen_at?: string | null;
  last_polled_at?: string | null;
  transport?: string | null;
  identity?: string | null;
  model?: string | null;
  board_name?: string | null;
  serial_number?: string | null;
  architecture?: string | null;
  version?: string | null;
  firmware?: string | null;
  latest_version?: string | null;
  uptime_seconds?: number | string | null;
  booted_at?: string | null;
  cpu_load?: number | null;
  cpu_count?: number | null;
  memory_total?: number | string | null;
  memory_free?: number | string | null;
  disk_total?: number | string | null;
  disk_free?: number | string | null;
  temperature?: number | string | null;
  voltage?: number | string | null;
  created_at?: string;
  policies?: Record<string, boolean>;
};

export type DeviceStatus = 'online' | 'offline' | 'degraded' | 'unknown';
export type DeviceList = { items: Device[]; total: number };

type Get<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer T } } } };
}
  ? T
  : never;
export type FleetSummary = Get<'/api/tenants/{tenant_id}/fleet/summary'>;
export type FleetEvent = Get<'/api/tenants/{tenant_id}/events'>['items'][number];
export type DeviceInterface = Get<'/api/tenants/{tenant_id}/devices/{device_id}/interfaces'>['items'][number];
export type HealthSeries = Get<'/api/tenants/{tenant_id}/devices/{device_id}/metrics/health'>;
export type TrafficSeries = Get<'/api/tenants/{tenant_id}/devices/{device_id}/metrics/interfaces'>;
/** A site, group or tag as the fleet pages use it; tags carry their colour (#rrggbb). */
export type CatalogItem = { id: string; name: string; device_count: number; color?: string };
export type ProbeResult = {
  ok: boolean;
  code: string;
  detail: string;
  transport: string | null;
  identity: string | null;
  model: string | null;
  board_name: string | null;
  version: string | null;
  serial_number: string | null;
  duration_ms: number;
};

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

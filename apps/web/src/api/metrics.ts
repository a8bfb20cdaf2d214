import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { Json } from './types';

type DevicePath<S extends string> = `/api/tenants/{tenant_id}/devices/{device_id}/${S}`;
export type DeviceInterface = Json<DevicePath<'interfaces'>, 'get', 200>['items'][number];

export const ranges = ['1h', '6h', '24h', '7d', '30d'] as const;
export type Range = (typeof ranges)[number];

/** One device's measurements; each poll of the device invalidates `all` (features/device/metrics.tsx). */
export const metricsKeys = {
  all: (t: string, id: string) => ['metrics', t, id] as const,
  health: (t: string, id: string, r: Range) => ['metrics', t, id, 'health', r] as const,
  traffic: (t: string, id: string, r: Range, iface: string) => ['metrics', t, id, 'traffic', r, iface] as const,
  interfaces: (t: string, id: string) => ['metrics', t, id, 'interfaces'] as const,
};

const path = (tenantId: string, deviceId: string) => ({ tenant_id: tenantId, device_id: deviceId });

export function healthQuery(tenantId: string, deviceId: string, range: Range) {
  return queryOptions({
    queryKey: metricsKeys.health(tenantId, deviceId, range),
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/devices/{device_id}/metrics/health', {
          params: { path: path(tenantId, deviceId), query: { range } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function trafficQuery(tenantId: string, deviceId: string, range: Range, iface: string | null) {
  return queryOptions({
    queryKey: metricsKeys.traffic(tenantId, deviceId, range, iface ?? ''),
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/devices/{device_id}/metrics/interfaces', {
          params: { path: path(tenantId, deviceId), query: { range, ...(iface ? { interface: iface } : {}) } },
        }),
      ),
    enabled: iface !== null,
    placeholderData: keepPreviousData,
  });
}

export function interfacesQuery(tenantId: string, deviceId: string) {
  return queryOptions({
    queryKey: metricsKeys.interfaces(tenantId, deviceId),
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/devices/{device_id}/interfaces', {
          params: { path: path(tenantId, deviceId) },
        }),
      ),
  });
}

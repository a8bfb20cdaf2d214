import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { CatalogItem, Device, DeviceList } from './model';

/** Query keys of the fleet pages; live updates (live.ts) patch the entries under `devices`. */
export const fleetKeys = {
  devices: (t: string) => ['devices', t] as const,
  list: (t: string, params: DeviceListParams) => ['devices', t, 'list', params] as const,
  device: (t: string, id: string) => ['devices', t, 'one', id] as const,
  summary: (t: string) => ['fleet', t, 'summary'] as const,
  events: (t: string, deviceId?: string) => ['events', t, deviceId ?? 'all'] as const,
  catalog: (t: string, kind: CatalogKind) => ['catalog', t, kind] as const,
};

export type DeviceListParams = {
  fields: string[];
  search?: string;
  status?: string;
  tag_id?: string;
  group_id?: string;
  site_id?: string;
  sort: string;
};

export function devicesQuery(tenantId: string, p: DeviceListParams) {
  return queryOptions({
    queryKey: fleetKeys.list(tenantId, p),
    queryFn: async (): Promise<DeviceList> => {
      const r = await unwrap(
        api.GET('/api/tenants/{tenant_id}/devices', {
          params: {
            path: { tenant_id: tenantId },
            query: {
              limit: 10_000,
              fields: p.fields.join(','),
              sort: p.sort,
              ...(p.search ? { search: p.search } : {}),
              ...(p.status ? { status: p.status } : {}),
              ...(p.tag_id ? { tag_id: p.tag_id } : {}),
              ...(p.group_id ? { group_id: p.group_id } : {}),
              ...(p.site_id ? { site_id: p.site_id } : {}),
            },
          },
        }),
      );
      return { items: r.items as Device[], total: r.total };
    },
  });
}

export function deviceQuery(tenantId: string, id: string) {
  return queryOptions({
    queryKey: fleetKeys.device(tenantId, id),
    queryFn: async () =>
      (await unwrap(
        api.GET('/api/tenants/{tenant_id}/devices/{device_id}', {
          params: { path: { tenant_id: tenantId, device_id: id } },
        }),
      )) as Device,
  });
}

export function summaryQuery(tenantId: string) {
  return queryOptions({
    queryKey: fleetKeys.summary(tenantId),
    queryFn: () =>
      unwrap(api.GET('/api/tenants/{tenant_id}/fleet/summary', { params: { path: { tenant_id: tenantId } } })),
  });
}

export function eventsQuery(tenantId: string, deviceId?: string, limit = 20) {
  return queryOptions({
    queryKey: fleetKeys.events(tenantId, deviceId),
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/events', {
          params: { path: { tenant_id: tenantId }, query: { limit, ...(deviceId ? { device_id: deviceId } : {}) } },
        }),
      ),
  });
}

export type CatalogKind = 'sites' | 'device-groups' | 'device-tags';
const catalogPaths = {
  sites: '/api/tenants/{tenant_id}/sites',
  'device-groups': '/api/tenants/{tenant_id}/device-groups',
  'device-tags': '/api/tenants/{tenant_id}/device-tags',
} as const;

export function catalogQuery(tenantId: string, kind: CatalogKind) {
  return queryOptions({
    queryKey: fleetKeys.catalog(tenantId, kind),
    queryFn: async () => {
      const r = await unwrap(
        api.GET(catalogPaths[kind], { params: { path: { tenant_id: tenantId }, query: { limit: 500 } } }),
      );
      return r.items as CatalogItem[];
    },
    staleTime: 30_000,
  });
}

/** The id of the named site, group or tag, created when it does not exist yet. */
export async function ensureCatalogItem(
  tenantId: string,
  kind: CatalogKind,
  name: string,
  known: CatalogItem[],
): Promise<string> {
  const hit = known.find((k) => k.name.toLowerCase() === name.trim().toLowerCase());
  if (hit) return hit.id;
  const created = await unwrap(
    api.POST(catalogPaths[kind], { params: { path: { tenant_id: tenantId } }, body: { name: name.trim() } }),
  );
  return (created as CatalogItem).id;
}

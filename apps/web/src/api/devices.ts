import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { toApiError } from './errors';
import { eventKeys } from './events';
import { fleetKeys } from './fleet';
import { type Entry, ensureEntry, inventoryKeys } from './inventory';
import { mutation } from './mutation';
import type { Body, Json } from './types';

type DevicesPath = '/api/tenants/{tenant_id}/devices';
/** A device as the list returns it: every field optional but `id`, because `fields=` may leave any out. */
export type Device = Json<DevicesPath, 'get', 200>['items'][number];
export type DeviceList = { items: Device[]; total: number };
export type NewDevice = Body<DevicesPath, 'post'>;
export type DeviceChange = Body<'/api/tenants/{tenant_id}/devices/{device_id}', 'patch'>;
export type BulkAction = Body<'/api/tenants/{tenant_id}/devices/bulk', 'post'>;
export type Endpoint = Body<'/api/tenants/{tenant_id}/devices/probe', 'post'>;
export type ProbeResult = Json<'/api/tenants/{tenant_id}/devices/probe', 'post', 200>;
export type ScanRequest = Body<'/api/tenants/{tenant_id}/devices/scan', 'post'>;
export type ScanHit = Json<'/api/tenants/{tenant_id}/devices/scan', 'post', 200>['found'][number];
export type ImportOutcome = Json<'/api/tenants/{tenant_id}/devices/import', 'post', 200>;
export type BulkAdd = Body<'/api/tenants/{tenant_id}/devices/bulk-add', 'post'>;

/** Query keys of devices; live updates (features/fleet/live.ts) patch the entries under `list` and `one`. */
export const deviceKeys = {
  all: (t: string) => ['devices', t] as const,
  lists: (t: string) => ['devices', t, 'list'] as const,
  list: (t: string, params: DeviceListParams) => ['devices', t, 'list', params] as const,
  one: (t: string, id: string) => ['devices', t, 'one', id] as const,
  search: (t: string, text: string) => ['devices', t, 'search', text] as const,
};

/** Devices added, changed or removed: lists, counts and the inventory's device counts all move. */
const fleetChanged = (t: string) => [deviceKeys.all(t), fleetKeys.all(t), inventoryKeys.all(t)];

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
    queryKey: deviceKeys.list(tenantId, p),
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
      return { items: r.items, total: r.total };
    },
  });
}

export function deviceQuery(tenantId: string, id: string) {
  return queryOptions({
    queryKey: deviceKeys.one(tenantId, id),
    queryFn: (): Promise<Device> =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/devices/{device_id}', {
          params: { path: { tenant_id: tenantId, device_id: id } },
        }),
      ),
  });
}

/** The 20 best matches by name, host or identity, with only the fields a search result shows. */
export function deviceSearchQuery(tenantId: string, text: string) {
  return queryOptions({
    queryKey: deviceKeys.search(tenantId, text),
    enabled: text.length > 0,
    staleTime: 10_000,
    queryFn: async () => {
      const r = await unwrap(
        api.GET('/api/tenants/{tenant_id}/devices', {
          params: {
            path: { tenant_id: tenantId },
            query: { search: text, fields: 'name,host,identity,status', limit: 20, sort: 'name' },
          },
        }),
      );
      return r.items;
    },
  });
}

/** A live login test; changes nothing. */
export const probeDevice = (tenantId: string, body: Endpoint) =>
  unwrap(api.POST('/api/tenants/{tenant_id}/devices/probe', { params: { path: { tenant_id: tenantId } }, body }));

export const createDevice = mutation({
  /** `probe: false` adds a router that cannot be reached yet. */
  run: (v: { tenantId: string; body: NewDevice; probe: boolean }) =>
    unwrap(
      api.POST('/api/tenants/{tenant_id}/devices', {
        params: { path: { tenant_id: v.tenantId }, query: { probe: v.probe ? 'true' : 'false' } },
        body: v.body,
      }),
    ),
  invalidates: (v) => fleetChanged(v.tenantId),
});

export const updateDevice = mutation({
  run: (v: { tenantId: string; deviceId: string; body: DeviceChange }) =>
    unwrap(
      api.PATCH('/api/tenants/{tenant_id}/devices/{device_id}', {
        params: { path: { tenant_id: v.tenantId, device_id: v.deviceId } },
        body: v.body,
      }),
    ),
  invalidates: (v) => fleetChanged(v.tenantId),
});

export const deleteDevice = mutation({
  run: (v: { tenantId: string; deviceId: string }) =>
    unwrap(
      api.DELETE('/api/tenants/{tenant_id}/devices/{device_id}', {
        params: { path: { tenant_id: v.tenantId, device_id: v.deviceId } },
      }),
    ),
  invalidates: (v) => [...fleetChanged(v.tenantId), eventKeys.all(v.tenantId)],
});

export const bulkDevices = mutation({
  run: (v: { tenantId: string; body: BulkAction }) =>
    unwrap(
      api.POST('/api/tenants/{tenant_id}/devices/bulk', { params: { path: { tenant_id: v.tenantId } }, body: v.body }),
    ),
  invalidates: (v) => [...fleetChanged(v.tenantId), ...(v.body.action === 'delete' ? [eventKeys.all(v.tenantId)] : [])],
});

/** Tags, groups or sets the site of devices by the entry's name; a missing entry is created first. */
export const assignDevices = mutation({
  run: async (v: {
    tenantId: string;
    deviceIds: string[];
    kind: 'device-tags' | 'device-groups' | 'sites';
    name: string;
    known: Entry[];
  }) => {
    const id = await ensureEntry(v.tenantId, v.kind, v.name, v.known);
    const device_ids = v.deviceIds;
    const body: BulkAction =
      v.kind === 'device-tags'
        ? { action: 'add_tags', device_ids, tag_ids: [id] }
        : v.kind === 'device-groups'
          ? { action: 'add_groups', device_ids, group_ids: [id] }
          : { action: 'set_site', device_ids, site_id: id };
    return bulkDevices.run({ tenantId: v.tenantId, body });
  },
  invalidates: (v) => fleetChanged(v.tenantId),
});

/** CSV import: per-row results; sites, tags and groups named in it are created when missing. */
export const importDevices = mutation({
  run: (v: { tenantId: string; csv: string }) =>
    unwrap(
      api.POST('/api/tenants/{tenant_id}/devices/import', {
        params: { path: { tenant_id: v.tenantId } },
        body: { csv: v.csv },
      }),
    ),
  invalidates: (v) => fleetChanged(v.tenantId),
});

export const bulkAddDevices = mutation({
  run: (v: { tenantId: string; body: BulkAdd }) =>
    unwrap(
      api.POST('/api/tenants/{tenant_id}/devices/bulk-add', {
        params: { path: { tenant_id: v.tenantId } },
        body: v.body,
      }),
    ),
  invalidates: (v) => fleetChanged(v.tenantId),
});

export type ScanLine =
  | { type: 'hit'; hit: ScanHit }
  | { type: 'done'; scanned: number; found: number; duration_ms: number };

/** Subnet scan as NDJSON: each hit as the server finds it, then a summary line. Changes nothing. */
export async function* scanDevices(tenantId: string, body: ScanRequest, signal: AbortSignal): AsyncGenerator<ScanLine> {
  const r = await api.POST('/api/tenants/{tenant_id}/devices/scan', {
    params: { path: { tenant_id: tenantId } },
    body,
    headers: { accept: 'application/x-ndjson' },
    parseAs: 'stream',
    signal,
  });
  if (!r.response.ok || !r.response.body) throw toApiError(r.response.status, r.error);
  for await (const line of ndjsonLines(r.response.body)) yield JSON.parse(line) as ScanLine;
}

/** Lines of a streamed body as they arrive. */
async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield line;
      nl = buf.indexOf('\n');
    }
  }
  buf += decoder.decode();
  if (buf.trim()) yield buf.trim();
}

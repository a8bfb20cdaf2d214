import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { deviceKeys } from './devices';
import { mutation } from './mutation';
import type { Body, Json } from './types';

// Sites, device groups, device tags and credential profiles: organisation-owned entries the devices point at.
// One resource module for the four, since they share a shape; every call is typed per kind.

export type InventoryKindId = 'sites' | 'device-groups' | 'device-tags' | 'credential-profiles';
const T = '/api/tenants/{tenant_id}';
type Paths = {
  sites: [`${typeof T}/sites`, `${typeof T}/sites/{id}`];
  'device-groups': [`${typeof T}/device-groups`, `${typeof T}/device-groups/{id}`];
  'device-tags': [`${typeof T}/device-tags`, `${typeof T}/device-tags/{id}`];
  'credential-profiles': [`${typeof T}/credential-profiles`, `${typeof T}/credential-profiles/{profile_id}`];
};
type Item<P extends Paths[InventoryKindId][0]> = Json<P, 'get', 200> extends { items: (infer I)[] } ? I : never;
type Shapes = {
  [K in InventoryKindId]: {
    entry: Item<Paths[K][0]>;
    create: Body<Paths[K][0], 'post'>;
    update: Body<Paths[K][1], 'patch'>;
  };
};
/** The fields every kind shares (named so that generic code over a kind can read them). */
type Common = Item<Paths['device-groups'][0]>;
export type Entry<K extends InventoryKindId = InventoryKindId> = Shapes[K]['entry'] & Common;
export type NewEntry<K extends InventoryKindId> = Shapes[K]['create'];
export type EntryChange<K extends InventoryKindId> = Shapes[K]['update'];

type Ops<K extends InventoryKindId> = {
  list: (t: string) => Promise<{ items: Entry<K>[] }>;
  create: (t: string, body: NewEntry<K>) => Promise<Entry<K>>;
  update: (t: string, id: string, body: EntryChange<K>) => Promise<Entry<K>>;
  remove: (t: string, id: string) => Promise<unknown>;
};
const limit = { limit: 500 };
const ops: { [K in InventoryKindId]: Ops<K> } = {
  sites: {
    list: (t) => unwrap(api.GET(`${T}/sites`, { params: { path: { tenant_id: t }, query: limit } })),
    create: (t, body) => unwrap(api.POST(`${T}/sites`, { params: { path: { tenant_id: t } }, body })),
    update: (t, id, body) => unwrap(api.PATCH(`${T}/sites/{id}`, { params: { path: { tenant_id: t, id } }, body })),
    remove: (t, id) => unwrap(api.DELETE(`${T}/sites/{id}`, { params: { path: { tenant_id: t, id } } })),
  },
  'device-groups': {
    list: (t) => unwrap(api.GET(`${T}/device-groups`, { params: { path: { tenant_id: t }, query: limit } })),
    create: (t, body) => unwrap(api.POST(`${T}/device-groups`, { params: { path: { tenant_id: t } }, body })),
    update: (t, id, body) =>
      unwrap(api.PATCH(`${T}/device-groups/{id}`, { params: { path: { tenant_id: t, id } }, body })),
    remove: (t, id) => unwrap(api.DELETE(`${T}/device-groups/{id}`, { params: { path: { tenant_id: t, id } } })),
  },
  'device-tags': {
    list: (t) => unwrap(api.GET(`${T}/device-tags`, { params: { path: { tenant_id: t }, query: limit } })),
    create: (t, body) => unwrap(api.POST(`${T}/device-tags`, { params: { path: { tenant_id: t } }, body })),
    update: (t, id, body) =>
      unwrap(api.PATCH(`${T}/device-tags/{id}`, { params: { path: { tenant_id: t, id } }, body })),
    remove: (t, id) => unwrap(api.DELETE(`${T}/device-tags/{id}`, { params: { path: { tenant_id: t, id } } })),
  },
  'credential-profiles': {
    list: (t) => unwrap(api.GET(`${T}/credential-profiles`, { params: { path: { tenant_id: t }, query: limit } })),
    create: (t, body) => unwrap(api.POST(`${T}/credential-profiles`, { params: { path: { tenant_id: t } }, body })),
    update: (t, profile_id, body) =>
      unwrap(
        api.PATCH(`${T}/credential-profiles/{profile_id}`, { params: { path: { tenant_id: t, profile_id } }, body }),
      ),
    remove: (t, profile_id) =>
      unwrap(api.DELETE(`${T}/credential-profiles/{profile_id}`, { params: { path: { tenant_id: t, profile_id } } })),
  },
};

export const inventoryKeys = {
  all: (t: string) => ['inventory', t] as const,
  list: (t: string, kind: InventoryKindId) => ['inventory', t, kind] as const,
};

export function inventoryQuery<K extends InventoryKindId>(tenantId: string, kind: K) {
  return queryOptions({
    queryKey: inventoryKeys.list(tenantId, kind),
    queryFn: async () => (await ops[kind].list(tenantId)).items,
    staleTime: 30_000,
  });
}

/** Renaming or deleting an entry changes what the device lists show (names, filters, counts). */
const inventoryChanged = (t: string) => [inventoryKeys.all(t), deviceKeys.all(t)];

export function createEntry<K extends InventoryKindId>(kind: K) {
  return mutation({
    run: (v: { tenantId: string; body: NewEntry<K> }) => ops[kind].create(v.tenantId, v.body),
    invalidates: (v) => [inventoryKeys.all(v.tenantId)],
  });
}

export function updateEntry<K extends InventoryKindId>(kind: K) {
  return mutation({
    run: (v: { tenantId: string; id: string; body: EntryChange<K> }) => ops[kind].update(v.tenantId, v.id, v.body),
    invalidates: (v) => inventoryChanged(v.tenantId),
  });
}

export function deleteEntry<K extends InventoryKindId>(kind: K) {
  return mutation({
    run: (v: { tenantId: string; entry: Entry<K> }) => ops[kind].remove(v.tenantId, v.entry.id),
    invalidates: (v) => inventoryChanged(v.tenantId),
  });
}

/** The id of the named site, group or tag, created when it does not exist yet (bulk assignment by name). */
export async function ensureEntry(
  tenantId: string,
  kind: 'sites' | 'device-groups' | 'device-tags',
  name: string,
  known: Entry[],
): Promise<string> {
  const hit = known.find((k) => k.name.toLowerCase() === name.trim().toLowerCase());
  if (hit) return hit.id;
  return (await ops[kind].create(tenantId, { name: name.trim() })).id;
}

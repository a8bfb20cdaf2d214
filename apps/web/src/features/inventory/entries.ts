import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { EntryField, InventoryKind } from './kinds';

export type Entry = {
  id: string;
  name: string;
  device_count: number;
  created_at: string;
  updated_at: string;
  policies: Record<string, boolean>;
  [field: string]: unknown;
};

type Call = Promise<{ data?: unknown; error?: unknown; response: Response }>;
type Init = { params: { path: Record<string, string>; query?: Record<string, unknown> }; body?: unknown };
// The four collections share one shape; the typed client would need a branch per path for no gain, so these
// calls go through it untyped (the generated schema still documents them).
const loose = api as unknown as Record<'GET' | 'POST' | 'PATCH' | 'DELETE', (path: string, init: Init) => Call>;

export const entriesKey = (tenantId: string, kind: InventoryKind) => ['inventory', tenantId, kind.id] as const;

export function entriesQuery(tenantId: string, kind: InventoryKind) {
  return queryOptions({
    queryKey: entriesKey(tenantId, kind),
    queryFn: async () => {
      const r = (await unwrap(
        loose.GET(kind.path, { params: { path: { tenant_id: tenantId }, query: { limit: 500 } } }),
      )) as { items: Entry[] };
      return r.items;
    },
  });
}

const itemPath = (kind: InventoryKind) =>
  kind.id === 'credential-profiles' ? `${kind.path}/{profile_id}` : `${kind.path}/{id}`;
const itemParams = (kind: InventoryKind, tenantId: string, id: string): Record<string, string> =>
  kind.id === 'credential-profiles' ? { tenant_id: tenantId, profile_id: id } : { tenant_id: tenantId, id };

/** The request body from the form's strings: numbers parsed, empty optional numbers null, an empty password
 * on edit left out (write-only: the server keeps the stored one). */
export function bodyOf(fields: EntryField[], values: Record<string, string>, editing: boolean) {
  const body: Record<string, unknown> = { name: values.name?.trim() ?? '' };
  for (const f of fields) {
    const v = values[f.key] ?? '';
    if (f.kind === 'number') body[f.key] = v.trim() === '' ? null : Number(v);
    else if (f.kind === 'password') {
      if (!editing || v !== '') body[f.key] = v;
    } else body[f.key] = v;
  }
  return body;
}

export function saveEntry(tenantId: string, kind: InventoryKind, id: string | null, body: Record<string, unknown>) {
  return unwrap(
    id
      ? loose.PATCH(itemPath(kind), { params: { path: itemParams(kind, tenantId, id) }, body })
      : loose.POST(kind.path, { params: { path: { tenant_id: tenantId } }, body }),
  ) as Promise<Entry>;
}

export function deleteEntry(tenantId: string, kind: InventoryKind, id: string) {
  return unwrap(loose.DELETE(itemPath(kind), { params: { path: itemParams(kind, tenantId, id) } }));
}

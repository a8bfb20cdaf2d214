import { infiniteQueryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { Json } from './types';

const EVENTS = '/api/tenants/{tenant_id}/transparency/events';
export type KeyAccessPage = Json<typeof EVENTS, 'get', 200>;
export type KeyAccess = KeyAccessPage['items'][number];
export type TransparencyQuery = {
  from?: string;
  to?: string;
  actor?: string;
  key?: string;
  object?: string;
  op?: KeyAccess['op'];
};

export const transparencyKeys = {
  all: (t: string) => ['transparency', t] as const,
  list: (t: string, q: TransparencyQuery) => ['transparency', t, 'list', q] as const,
};

/** The key-access log, newest first, 50 a page; the next page starts before the last id seen. */
export function transparencyQuery(tenantId: string, q: TransparencyQuery) {
  return infiniteQueryOptions({
    queryKey: transparencyKeys.list(tenantId, q),
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET(EVENTS, {
          params: {
            path: { tenant_id: tenantId },
            query: { ...q, limit: 50, ...(pageParam ? { before: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
}

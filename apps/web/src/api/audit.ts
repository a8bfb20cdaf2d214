import { infiniteQueryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';

export type AuditQuery = { action?: string; user_id?: string; from?: string; to?: string };

export const auditKeys = {
  all: (t: string) => ['audit', t] as const,
  list: (t: string, q: AuditQuery) => ['audit', t, 'list', q] as const,
};

/** Newest first, 50 a page; the next page starts before the last id seen. */
export function auditQuery(tenantId: string, q: AuditQuery) {
  return infiniteQueryOptions({
    queryKey: auditKeys.list(tenantId, q),
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/audit-logs', {
          params: {
            path: { tenant_id: tenantId },
            query: { ...q, limit: 50, ...(pageParam ? { before: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
}

/** The same filter as a CSV download link (a plain <a href>, sent with the session cookie). */
export function auditCsvUrl(tenantId: string, q: AuditQuery) {
  return `/api/tenants/${tenantId}/audit-logs?${new URLSearchParams({ ...q, format: 'csv', limit: '1000' })}`;
}

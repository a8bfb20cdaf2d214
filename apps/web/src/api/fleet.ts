import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { Json } from './types';

export type FleetSummary = Json<'/api/tenants/{tenant_id}/fleet/summary', 'get', 200>;

/** Aggregates over an organisation's devices; every device change invalidates `all`. */
export const fleetKeys = {
  all: (t: string) => ['fleet', t] as const,
  summary: (t: string) => ['fleet', t, 'summary'] as const,
};

export function summaryQuery(tenantId: string) {
  return queryOptions({
    queryKey: fleetKeys.summary(tenantId),
    queryFn: () =>
      unwrap(api.GET('/api/tenants/{tenant_id}/fleet/summary', { params: { path: { tenant_id: tenantId } } })),
  });
}

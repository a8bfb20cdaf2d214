import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { Json } from './types';

export type EventPage = Json<'/api/tenants/{tenant_id}/events', 'get', 200>;
export type FleetEvent = EventPage['items'][number];

/** Live events (features/fleet/live.ts) are prepended to `list` entries as they arrive. */
export const eventKeys = {
  all: (t: string) => ['events', t] as const,
  list: (t: string, deviceId?: string) => ['events', t, deviceId ?? 'all'] as const,
};

export function eventsQuery(tenantId: string, deviceId?: string, limit = 20) {
  return queryOptions({
    queryKey: eventKeys.list(tenantId, deviceId),
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/events', {
          params: { path: { tenant_id: tenantId }, query: { limit, ...(deviceId ? { device_id: deviceId } : {}) } },
        }),
      ),
  });
}

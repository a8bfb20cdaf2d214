import { infiniteQueryOptions, keepPreviousData } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { Json } from './types';

// Device logs: lines TOD read from the routers' /log or received over syslog, newest first, a page at a time.

const ORG = '/api/tenants/{tenant_id}/logs';
const DEVICE = '/api/tenants/{tenant_id}/devices/{device_id}/logs';
export type LogsPage = Json<typeof ORG, 'get', 200>;
export type LogLine = LogsPage['items'][number];
export type LogSeverity = LogLine['severity'];

/** What the list is filtered by; `severity` is a comma-separated list, `from` an ISO instant. */
export type LogFilters = { device_id?: string; q?: string; topic?: string; severity?: string; from?: string };

export const logKeys = {
  all: (t: string) => ['logs', t] as const,
  list: (t: string, f: LogFilters) => ['logs', t, f] as const,
};

const PAGE = 100;

/** The organisation's lines, or one device's with `device_id`; `follow` polls for new lines every few seconds. */
export function logsQuery(tenantId: string, f: LogFilters, follow = false) {
  const { device_id, ...filters } = f;
  return infiniteQueryOptions({
    queryKey: logKeys.list(tenantId, f),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const query = { ...filters, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) };
      return unwrap(
        device_id
          ? api.GET(DEVICE, { params: { path: { tenant_id: tenantId, device_id }, query } })
          : api.GET(ORG, { params: { path: { tenant_id: tenantId }, query } }),
      );
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // Typing in the search keeps the current lines on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    refetchInterval: follow ? 5_000 : false,
  });
}

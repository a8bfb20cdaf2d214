import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { mutation } from './mutation';
import type { ApiKey } from './types';

export const apiKeyKeys = { all: (t: string) => ['api-keys', t] as const };

export function apiKeysQuery(tenantId: string) {
  return queryOptions({
    queryKey: apiKeyKeys.all(tenantId),
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/api-keys', {
          params: { path: { tenant_id: tenantId }, query: { limit: 200, include_revoked: 'true' } },
        }),
      ),
  });
}

export const createApiKey = mutation({
  run: (v: { tenantId: string; name: string }) =>
    unwrap(
      api.POST('/api/tenants/{tenant_id}/api-keys', {
        params: { path: { tenant_id: v.tenantId } },
        body: { name: v.name },
      }),
    ),
  invalidates: (v) => [apiKeyKeys.all(v.tenantId)],
});

export const revokeApiKey = mutation({
  run: (v: { tenantId: string; key: ApiKey }) =>
    unwrap(
      api.DELETE('/api/tenants/{tenant_id}/api-keys/{key_id}', {
        params: { path: { tenant_id: v.tenantId, key_id: v.key.id } },
      }),
    ),
  invalidates: (v) => [apiKeyKeys.all(v.tenantId)],
});

import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { mutation } from './mutation';
import type { Body, Tenant } from './types';

export const tenantKeys = { all: ['tenants'] as const };

export const tenantsQuery = queryOptions({
  queryKey: tenantKeys.all,
  queryFn: () => unwrap(api.GET('/api/tenants', { params: { query: { limit: 500 } } })),
  staleTime: 30_000,
});

export const createTenant = mutation({
  run: (body: Body<'/api/tenants', 'post'>) => unwrap(api.POST('/api/tenants', { body })),
  invalidates: () => [tenantKeys.all],
});

export const deleteTenant = mutation({
  run: (t: Tenant) => unwrap(api.DELETE('/api/tenants/{tenant_id}', { params: { path: { tenant_id: t.id } } })),
  invalidates: () => [tenantKeys.all],
});

/** The demo fleet lives in an organisation of its own, created (or found) by this call. */
export const startDemo = mutation({
  run: () => unwrap(api.POST('/api/demo')),
  invalidates: () => [tenantKeys.all],
});

import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { mutation } from './mutation';
import type { Body, User } from './types';

export const userKeys = {
  all: (t: string) => ['users', t] as const,
  list: (t: string, search: string) => ['users', t, 'list', search] as const,
};

export function usersQuery(tenantId: string, search = '') {
  return queryOptions({
    queryKey: userKeys.list(tenantId, search),
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/users', {
          params: { path: { tenant_id: tenantId }, query: { limit: 200, ...(search ? { search } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export const createUser = mutation({
  run: (v: { tenantId: string; body: Body<'/api/tenants/{tenant_id}/users', 'post'> }) =>
    unwrap(api.POST('/api/tenants/{tenant_id}/users', { params: { path: { tenant_id: v.tenantId } }, body: v.body })),
  invalidates: (v) => [userKeys.all(v.tenantId)],
});

/** Role, active flag, or an admin's sign-in reset (a temporary password). */
export const updateUser = mutation({
  run: (v: { tenantId: string; user: User; body: Body<'/api/tenants/{tenant_id}/users/{user_id}', 'patch'> }) =>
    unwrap(
      api.PATCH('/api/tenants/{tenant_id}/users/{user_id}', {
        params: { path: { tenant_id: v.tenantId, user_id: v.user.id } },
        body: v.body,
      }),
    ),
  invalidates: (v) => [userKeys.all(v.tenantId)],
});

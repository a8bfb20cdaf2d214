import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { Me } from '@/api/types';

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: () => unwrap(api.GET('/api/auth/me')),
  staleTime: 60_000,
  retry: false,
});

/** The signed-in principal. Only used under the signed-in layout, where it is loaded before render. */
export function useMe(): Me {
  const { data } = useQuery(meQuery);
  if (!data) throw new Error('useMe outside the signed-in layout');
  return data;
}

/**
 * Whether the caller may do something, straight from /api/auth/me `permissions` (computed by the server's one
 * permission table). Resource-level decisions use the resource's own `policies` instead.
 */
export function useCan(permission: string): boolean {
  return useMe().permissions[permission] === true;
}

export async function signOut() {
  await unwrap(api.POST('/api/auth/logout'));
}

import { useQuery } from '@tanstack/react-query';
import { auth, meQuery } from '@/api/auth';
import type { Me, Permission } from '@/api/types';

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
export function useCan(permission: Permission): boolean {
  return useMe().permissions[permission] === true;
}

export async function signOut() {
  await auth.logout();
}

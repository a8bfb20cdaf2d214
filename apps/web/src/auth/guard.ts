import type { QueryClient } from '@tanstack/react-query';
import { redirect } from '@tanstack/react-router';
import { ApiError } from '@/api/errors';
import type { Me } from '@/api/types';
import { meQuery } from './session';

/** For routes that need a session: the principal, or a redirect to sign-in that comes back here afterwards. */
export async function requireMe(queryClient: QueryClient, href: string): Promise<Me> {
  try {
    return await queryClient.ensureQueryData(meQuery);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw redirect({ to: '/sign-in', search: { redirect: href } });
    throw err;
  }
}

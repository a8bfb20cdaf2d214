import type { QueryClient } from '@tanstack/react-query';
import { redirect } from '@tanstack/react-router';
import { meQuery } from '@/api/auth';
import { ApiError } from '@/api/errors';
import type { Me } from '@/api/types';

/** For routes that need a session: the principal, or a redirect to sign-in that comes back here afterwards. */
export async function requireMe(queryClient: QueryClient, href: string): Promise<Me> {
  let me: Me;
  try {
    me = await queryClient.ensureQueryData(meQuery);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw redirect({ to: '/sign-in', search: { redirect: href } });
    throw err;
  }
  // A password or reset-link session may only enrol (the server refuses everything else with enrolment_required).
  if (me.session_scope === 'enrol') throw redirect({ to: '/enrol' });
  return me;
}

import { createFileRoute, redirect } from '@tanstack/react-router';
import { meQuery } from '@/api/auth';
import { SignInPage } from '@/features/sign-in/sign-in-page';

/** Only same-app paths: never bounce a user to another site after sign-in. */
const safeRedirect = (r: unknown) =>
  typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') ? r : undefined;

export const Route = createFileRoute('/sign-in')({
  validateSearch: (s: Record<string, unknown>): { redirect?: string } => {
    const r = safeRedirect(s.redirect);
    return r ? { redirect: r } : {};
  },
  beforeLoad: async ({ context }) => {
    // Ask the server, not the cache: right after signing out the cached principal is stale.
    const me = await context.queryClient.fetchQuery({ ...meQuery, staleTime: 0 }).catch(() => null);
    if (me) throw redirect({ to: me.session_scope === 'enrol' ? '/enrol' : '/' });
  },
  component: SignIn,
});

function SignIn() {
  const search = Route.useSearch();
  return <SignInPage redirectTo={search.redirect} />;
}

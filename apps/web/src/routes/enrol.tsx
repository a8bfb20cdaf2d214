import { createFileRoute, redirect } from '@tanstack/react-router';
import { meQuery } from '@/api/auth';
import { EnrolPage } from '@/features/sign-in/enrol-page';

// Only for an enrol-only session (password or reset-link sign-in); everyone else goes where they belong.
export const Route = createFileRoute('/enrol')({
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.fetchQuery({ ...meQuery, staleTime: 0 }).catch(() => null);
    if (!me) throw redirect({ to: '/sign-in' });
    if (me.session_scope !== 'enrol') throw redirect({ to: '/' });
    return { me };
  },
  component: function Enrol() {
    const { me } = Route.useRouteContext();
    return <EnrolPage me={me} />;
  },
});

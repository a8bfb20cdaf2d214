import { createFileRoute, redirect } from '@tanstack/react-router';
import { tenantsQuery } from '@/api/tenants';
import { requireMe } from '@/auth/guard';
import { TenantProvider } from '@/auth/tenant';
import { AppShell } from '@/components/shell/app-shell';
import { readSetup } from '@/lib/setup';

// Every signed-in page lives under this layout: it loads the principal and the organisations before rendering.
export const Route = createFileRoute('/_app')({
  beforeLoad: async ({ context, location }) => {
    const me = await requireMe(context.queryClient, location.href);
    // fetchQuery, not ensureQueryData: a write that created an organisation (the wizard, the demo fleet) marked the
    // cached list stale, and a stale "none yet" must not send a super_admin back to the wizard.
    let tenants = await context.queryClient.fetchQuery(tenantsQuery);
    if (me.role === 'super_admin' && tenants.total === 0 && readSetup().status !== 'skipped') {
      // The wizard is offered only on the server's current answer, never on a cached one.
      tenants = await context.queryClient.fetchQuery({ ...tenantsQuery, staleTime: 0 });
      if (tenants.total === 0) throw redirect({ to: '/setup' });
    }
    return { me };
  },
  component: () => (
    <TenantProvider>
      <AppShell />
    </TenantProvider>
  ),
});

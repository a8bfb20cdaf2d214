import { createFileRoute, redirect } from '@tanstack/react-router';
import { requireMe } from '@/auth/guard';
import { TenantProvider, tenantsQuery } from '@/auth/tenant';
import { AppShell } from '@/components/shell/app-shell';
import { readSetup } from '@/lib/setup';

// Every signed-in page lives under this layout: it loads the principal and the organisations before rendering.
export const Route = createFileRoute('/_app')({
  beforeLoad: async ({ context, location }) => {
    const me = await requireMe(context.queryClient, location.href);
    const tenants = await context.queryClient.ensureQueryData(tenantsQuery);
    // First sign-in of a super_admin with nothing set up yet: offer the wizard (unless they skipped it).
    if (me.role === 'super_admin' && tenants.total === 0 && readSetup().status !== 'skipped')
      throw redirect({ to: '/setup' });
    return { me };
  },
  component: () => (
    <TenantProvider>
      <AppShell />
    </TenantProvider>
  ),
});

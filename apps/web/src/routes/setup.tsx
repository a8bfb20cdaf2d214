import { createFileRoute, redirect } from '@tanstack/react-router';
import { requireMe } from '@/auth/guard';
import { SetupWizard } from '@/features/setup/setup-wizard';

export const Route = createFileRoute('/setup')({
  beforeLoad: async ({ context, location }) => {
    const me = await requireMe(context.queryClient, location.href);
    if (me.role !== 'super_admin') throw redirect({ to: '/' });
  },
  component: SetupWizard,
});

import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { LogView } from './log-view';

/** Every device's log lines in one place, newest first, to narrow by device, text, severity, topic and time. */
export function LogsPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="logs.read">
      <PageHeader
        title="Logs"
        description="What the routers logged: read from their /log as TOD polls them, and syslog they send."
      />
      <LogView key={current.id} tenantId={current.id} />
    </RequirePermission>
  );
}

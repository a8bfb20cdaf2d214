import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { SquareTerminal } from 'lucide-react';
import { recentRunsQuery } from '@/api/bulk-commands';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { useFleetStream } from '../fleet/live';
import { RolloutsTable } from '../rollouts/rollouts-table';
import { RunForm } from './run-form';

// Bulk commands: the form that runs RouterOS commands on many devices (for those who may run them) and the recent
// runs, each opening its grouped results. Progress arrives live with the rollouts' (api/rollouts.ts).

export function BulkCommandsPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="bulk_commands.read">
      <BulkCommands tenantId={current.id} />
    </RequirePermission>
  );
}

function BulkCommands({ tenantId }: { tenantId: string }) {
  useFleetStream(tenantId);
  const canRun = useCan('bulk_commands.run');
  return (
    <>
      <PageHeader
        title="Bulk commands"
        description="RouterOS commands run on many routers at once, with the outputs grouped by identical result."
      />
      <div className="grid gap-4">
        {canRun ? (
          <RunForm tenantId={tenantId} />
        ) : (
          <p className="text-[13px] text-muted-foreground" data-read-only>
            Your role can read past runs and their results; an operator or admin runs commands.
          </p>
        )}
        <RecentRuns tenantId={tenantId} />
      </div>
    </>
  );
}

function RecentRuns({ tenantId }: { tenantId: string }) {
  const q = useQuery(recentRunsQuery(tenantId));
  return (
    <Card>
      <CardHeader title="Recent runs" description="The newest 20; every run is also under Rollouts." />
      {q.isPending ? (
        <TableSkeleton cols={5} />
      ) : q.error ? (
        <p role="alert" className="p-4 text-[13px] text-destructive">
          Could not load the runs: {q.error.message}
        </p>
      ) : q.data.length === 0 ? (
        <EmptyState icon={SquareTerminal} title="No runs yet">
          Commands run from this page appear here, with their results.
        </EmptyState>
      ) : (
        <RolloutsTable
          rows={q.data}
          nameTitle="Commands"
          rowData={(r) => ({ 'data-run': r.id })}
          name={(r) => (
            <Link
              to="/bulk-commands/$rolloutId"
              params={{ rolloutId: r.id }}
              className="font-mono text-[12px] font-medium hover:underline"
            >
              {r.name}
            </Link>
          )}
        />
      )}
    </Card>
  );
}

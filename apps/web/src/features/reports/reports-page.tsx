import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { FilePlus, Plus } from 'lucide-react';
import { reportsQuery } from '@/api/reports';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Button } from '@/components/ui/button';
import { useFleetStream } from '../fleet/live';
import { ReportDialog } from './report-dialog';
import { ReportsCard } from './reports-card';
import { SchedulesCard } from './schedules-card';

// Reports: the organisation's reports (asked for here or made by a schedule), followed until their file can be
// downloaded; below, the schedules for the roles that may read them.

export function ReportsPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="reports.read">
      <Reports key={current.id} tenantId={current.id} />
    </RequirePermission>
  );
}

function Reports({ tenantId }: { tenantId: string }) {
  // Reports moving on (rendered, failed, made by a schedule) arrive on the stream (api/reports.ts reportsLive).
  useFleetStream(tenantId);
  const canCreate = useCan('reports.create');
  const canReadSchedules = useCan('report_schedules.read');
  const canWriteSchedules = useCan('report_schedules.write');
  const reports = useQuery(reportsQuery(tenantId));
  const search = useSearch({ from: '/_app/reports' });
  const navigate = useNavigate({ from: '/reports' });
  const setCreating = (open: boolean) => navigate({ search: open ? { new: true } : {}, replace: true });

  return (
    <>
      <PageHeader
        title="Reports"
        description="Fleet, device, compliance and SLA reports over a period, as PDF or CSV, to keep or to send on."
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              <Plus aria-hidden /> New report
            </Button>
          ) : null
        }
      />
      <div className="grid gap-5">
        <ReportsCard
          tenantId={tenantId}
          reports={reports.data?.items}
          total={reports.data?.total ?? 0}
          pending={reports.isPending}
          error={reports.error}
          empty={
            canCreate ? (
              <Button onClick={() => setCreating(true)}>
                <FilePlus aria-hidden /> Create the first report
              </Button>
            ) : null
          }
        />
        {canReadSchedules ? <SchedulesCard tenantId={tenantId} canWrite={canWriteSchedules} /> : null}
      </div>
      {canCreate ? <ReportDialog tenantId={tenantId} open={search.new === true} onOpenChange={setCreating} /> : null}
    </>
  );
}

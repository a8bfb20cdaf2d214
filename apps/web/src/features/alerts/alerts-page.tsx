import { BellOff, History } from 'lucide-react';
import { useState } from 'react';
import type { AlertFilters as Filters } from '@/api/alerts';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Card } from '@/components/ui/card';
import { useFleetStream } from '../fleet/live';
import { AlertFilters, type PageFilters } from './alert-filters';
import { AlertSection } from './alert-section';
import { AlertsTabs } from './alerts-tabs';

// The organisation's alerts: what is wrong now (critical first), then what was wrong and for how long. Alerts
// fire, are acknowledged and resolve live (api/alerts.ts alertsLive).

export function AlertsPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="alerts.read">
      <Alerts tenantId={current.id} />
    </RequirePermission>
  );
}

function Alerts({ tenantId }: { tenantId: string }) {
  useFleetStream(tenantId);
  const [f, setF] = useState<PageFilters>({ state: 'all' });
  const { state, ...rest } = f;
  const narrowed = Object.keys(rest).length > 0;
  const active: Filters = { ...rest, state: state === 'all' ? 'active' : state };
  return (
    <>
      <PageHeader title="Alerts" description="What is wrong on your routers now, and what was." />
      <AlertsTabs />
      <div className="grid gap-4">
        <Card aria-label="Filters">
          <AlertFilters tenantId={tenantId} value={f} onChange={setF} />
        </Card>
        {state !== 'resolved' ? (
          <AlertSection
            section="active"
            tenantId={tenantId}
            filters={active}
            pageSize={200}
            severityFirst
            title={state === 'all' ? 'Active' : state === 'firing' ? 'Firing' : 'Acknowledged'}
            description="Critical first, newest first within each severity."
            empty={{
              icon: BellOff,
              title: 'Nothing is wrong',
              text: narrowed
                ? 'No active alert matches these filters.'
                : 'No rule is breached right now. Rules decide what raises an alert: see the Rules tab.',
            }}
          />
        ) : null}
        {state === 'all' || state === 'resolved' ? (
          <AlertSection
            section="history"
            tenantId={tenantId}
            filters={{ ...rest, state: 'resolved' }}
            title="History"
            description="Resolved alerts, newest first, with how long each lasted."
            empty={{
              icon: History,
              title: 'No resolved alerts',
              text: narrowed ? 'Nothing matches these filters: widen them.' : 'Alerts appear here once they resolve.',
            }}
          />
        ) : null}
      </div>
    </>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { BellPlus, BellRing } from 'lucide-react';
import { useState } from 'react';
import { type AlertRule, alertRulesQuery, deleteRule } from '@/api/alerts';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { useApiMutation } from '@/lib/mutation';
import { useFleetStream } from '../fleet/live';
import { AlertsTabs } from './alerts-tabs';
import { RuleDialog } from './rule-dialog';
import { RuleTable } from './rule-table';

// Alert rules: what raises an alert, on which devices, and whom it notifies. `?new=1` opens the editor (the
// palette's "Create alert rule").

export function RulesPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="alerts.read">
      <Rules tenantId={current.id} />
    </RequirePermission>
  );
}

function Rules({ tenantId }: { tenantId: string }) {
  // Each rule's active count moves with its alerts (api/alerts.ts alertsLive).
  useFleetStream(tenantId);
  const canConfigure = useCan('alerts.configure');
  const search = useSearch({ from: '/_app/alerts/rules' });
  const navigate = useNavigate({ from: '/alerts/rules' });
  const setCreating = (open: boolean) => navigate({ search: open ? { new: true } : {}, replace: true });
  const [editing, setEditing] = useState<AlertRule | null>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const rules = useQuery(alertRulesQuery(tenantId));
  const remove = useApiMutation(deleteRule, { success: () => `Rule ${deleting?.name ?? ''} deleted` });
  const items = rules.data ?? [];
  const newButton = canConfigure ? (
    <Button variant="primary" onClick={() => setCreating(true)}>
      <BellPlus aria-hidden /> New rule
    </Button>
  ) : null;
  return (
    <>
      <PageHeader title="Alerts" description="What is wrong on your routers now, and what was." actions={newButton} />
      <AlertsTabs />
      <Card>
        {rules.isPending ? (
          <TableSkeleton cols={6} />
        ) : rules.error ? (
          <p role="alert" className="p-4 text-[13px] text-destructive">
            Could not load the rules: {rules.error.message}
          </p>
        ) : items.length === 0 ? (
          <EmptyState icon={BellRing} title="No alert rules" action={newButton}>
            {canConfigure
              ? 'A rule watches a metric (CPU, a link, a device going offline) and raises an alert when it is breached.'
              : 'An operator or admin of your organisation can add rules.'}
          </EmptyState>
        ) : (
          <RuleTable tenantId={tenantId} rules={items} onEdit={setEditing} onDelete={setDeleting} />
        )}
      </Card>
      {canConfigure && search.new === true ? (
        <RuleDialog tenantId={tenantId} onClose={() => setCreating(false)} />
      ) : null}
      {editing ? <RuleDialog tenantId={tenantId} rule={editing} onClose={() => setEditing(null)} /> : null}
      <Confirm
        open={deleting !== null}
        onOpenChange={(o) => (o ? null : setDeleting(null))}
        title={`Delete ${deleting?.name ?? 'rule'}?`}
        description={
          deleting?.active_count
            ? `Its ${deleting.active_count} open alert${deleting.active_count === 1 ? ' is' : 's are'} resolved.`
            : 'Alerts it raised stay in the history.'
        }
        confirm="Delete rule"
        busy={remove.isPending}
        onConfirm={() =>
          deleting && remove.mutate({ tenantId, id: deleting.id }, { onSuccess: () => setDeleting(null) })
        }
      />
    </>
  );
}

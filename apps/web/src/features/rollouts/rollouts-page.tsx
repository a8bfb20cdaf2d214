import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Layers } from 'lucide-react';
import { useState } from 'react';
import { type RolloutFilters, type RolloutStatus, rolloutsQuery } from '@/api/rollouts';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { TableSkeleton } from '@/components/ui/skeleton';
import { useFleetStream } from '../fleet/live';
import { RolloutsTable } from './rollouts-table';
import { kindLabel, knownKinds, rolloutStatuses, statusLabel } from './words';

// Every rollout of the organisation, newest first: templates pushed, bulk commands, Simple Config across devices
// and firmware upgrades, each with how far it got. Progress arrives live (api/rollouts.ts rolloutsLive).

const ANY = 'any';

export function RolloutsPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="rollouts.read">
      <Rollouts tenantId={current.id} />
    </RequirePermission>
  );
}

function Rollouts({ tenantId }: { tenantId: string }) {
  useFleetStream(tenantId);
  const [f, setF] = useState<RolloutFilters>({});
  const q = useInfiniteQuery(rolloutsQuery(tenantId, f));
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  // Any other kind seen in the list is offered too.
  const kinds = [...new Set([...knownKinds, ...rows.map((r) => r.kind), ...(f.kind ? [f.kind] : [])])];
  const set = (k: keyof RolloutFilters, v: string) => {
    const { [k]: _, ...rest } = f;
    setF(v === ANY ? rest : { ...rest, [k]: v });
  };
  return (
    <>
      <PageHeader
        title="Rollouts"
        description="Changes and commands sent to many routers at once, in waves, with how far each got."
      />
      <Card>
        <div className="grid gap-3 border-b p-3 sm:grid-cols-[220px_220px]">
          <Field id="rollout-kind" label="Kind">
            <Select
              id="rollout-kind"
              value={f.kind ?? ANY}
              onValueChange={(v) => set('kind', v)}
              options={[{ value: ANY, label: 'Every kind' }, ...kinds.map((k) => ({ value: k, label: kindLabel(k) }))]}
            />
          </Field>
          <Field id="rollout-status" label="Status">
            <Select
              id="rollout-status"
              value={f.status ?? ANY}
              onValueChange={(v) => set('status', v as RolloutStatus)}
              options={[
                { value: ANY, label: 'Any status' },
                ...rolloutStatuses.map((s) => ({ value: s, label: statusLabel[s] })),
              ]}
            />
          </Field>
        </div>
        {q.isPending ? (
          <TableSkeleton cols={6} />
        ) : q.error ? (
          <p role="alert" className="p-4 text-[13px] text-destructive">
            Could not load the rollouts: {q.error.message}
          </p>
        ) : rows.length === 0 ? (
          <EmptyState icon={Layers} title="No rollouts">
            {f.kind || f.status
              ? 'Nothing matches these filters: widen them.'
              : 'Pushing a template, running a bulk command or upgrading firmware on several devices starts a rollout: it appears here.'}
          </EmptyState>
        ) : (
          <RolloutsTable
            rows={rows}
            nameTitle="Name"
            rowData={(r) => ({ 'data-rollout-row': r.id })}
            name={(r) => (
              <Link to="/rollouts/$rolloutId" params={{ rolloutId: r.id }} className="font-medium hover:underline">
                {r.name}
              </Link>
            )}
          />
        )}
        {q.hasNextPage ? (
          <div className="border-t p-2 text-center">
            <Button variant="ghost" size="sm" disabled={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
              Load older rollouts
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}

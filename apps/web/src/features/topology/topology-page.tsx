import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { Network, X } from 'lucide-react';
import { useMemo, useState } from 'react';
import { type TopologyFilter, topologyQuery } from '@/api/topology';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { useFleetStream } from '../fleet/live';
import { neighbourhood, type Selection, TopologyCanvas } from './canvas';
import { CatalogFilters } from './filters';
import { Legend } from './legend';
import { useLiveStatuses } from './live-status';
import { SidePanel } from './panel';
import { NodeSearch } from './search';
import type { TopologySearch } from './search-params';

// The Topology page: the organisation's routers and the neighbours they see, linked as they report it, laid out from
// the cores down. Filters narrow it to a site, group or tag (from the URL, so a view can be shared); search finds a
// node; focus shows one node and its neighbours; a click opens the node's or link's details beside the canvas.

export function TopologyPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="topology.read">
      <TopologyView key={current.id} tenantId={current.id} />
    </RequirePermission>
  );
}

function TopologyView({ tenantId }: { tenantId: string }) {
  useFleetStream(tenantId);
  useLiveStatuses(tenantId);
  const search = useSearch({ from: '/_app/topology' });
  const navigate = useNavigate({ from: '/topology' });
  const filter: TopologyFilter = {
    ...(search.site ? { site_id: search.site } : {}),
    ...(search.group ? { group_id: search.group } : {}),
    ...(search.tag ? { tag_id: search.tag } : {}),
  };
  const q = useQuery({ ...topologyQuery(tenantId, filter), placeholderData: keepPreviousData });
  const graph = q.data;
  const [selected, setSelected] = useState<Selection | null>(null);
  const [center, setCenter] = useState<{ id: string; seq: number } | null>(null);
  const viewKey = `${tenantId}|${search.site ?? ''}|${search.group ?? ''}|${search.tag ?? ''}`;
  const focusNode = search.focus ? graph?.nodes.find((n) => n.id === search.focus) : undefined;
  const counts = useMemo(() => {
    if (!graph) return null;
    const unmanaged = graph.nodes.filter((n) => !n.managed).length;
    return { devices: graph.nodes.length - unmanaged, unmanaged, links: graph.edges.length };
  }, [graph]);

  const setFocus = (id: string | undefined) =>
    navigate({ search: (s: TopologySearch) => ({ ...s, focus: id }), replace: true });

  return (
    <>
      <PageHeader
        title="Topology"
        description="Your routers and the neighbours they see, linked as the routers report it, from the cores down."
        actions={
          graph ? (
            <NodeSearch
              nodes={graph.nodes}
              onPick={(n) => {
                // A node outside the focused neighbourhood: show everything again, or it could not be seen.
                if (search.focus && !neighbourhood(graph, search.focus).has(n.id)) void setFocus(undefined);
                setSelected({ kind: 'node', id: n.id });
                setCenter((c) => ({ id: n.id, seq: (c?.seq ?? 0) + 1 }));
              }}
            />
          ) : null
        }
      />
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <CatalogFilters
          tenantId={tenantId}
          value={search}
          onChange={(f) => {
            setSelected(null);
            void navigate({ search: { ...f, focus: undefined }, replace: true });
          }}
        />
        {counts ? (
          <p className="ml-auto text-xs text-muted-foreground" data-counts>
            {counts.devices} {counts.devices === 1 ? 'device' : 'devices'}
            {counts.unmanaged ? ` · ${counts.unmanaged} not in TOD` : ''} · {counts.links}{' '}
            {counts.links === 1 ? 'link' : 'links'}
          </p>
        ) : null}
      </div>
      {search.focus ? (
        <div
          className="mb-3 flex items-center gap-2 rounded-md border bg-surface px-3 py-1.5 text-[13px]"
          data-focus-banner
        >
          <span className="flex-1">Showing {focusNode?.label ?? 'one device'} and its neighbours only.</span>
          <Button size="sm" variant="ghost" onClick={() => void setFocus(undefined)}>
            <X aria-hidden /> Show everything
          </Button>
        </div>
      ) : null}
      {q.isPending ? (
        <Skeleton className="h-[60vh] w-full" />
      ) : q.error ? (
        <Card className="p-4 text-[13px] text-destructive" role="alert">
          {q.error.message}
        </Card>
      ) : !graph?.nodes.length ? (
        <Card>
          <EmptyState icon={Network} title="No devices here">
            Add routers on the Devices page (or clear the filters): each appears here after its first poll, linked to
            the neighbours it reports.
          </EmptyState>
        </Card>
      ) : (
        <div className={selected ? 'grid gap-3 lg:grid-cols-[1fr_300px]' : 'grid'}>
          <div className="topology-canvas relative h-[calc(100dvh-15rem)] min-h-[420px] overflow-hidden rounded-lg border">
            <TopologyCanvas
              viewKey={viewKey}
              graph={graph}
              focus={focusNode ? focusNode.id : null}
              selected={selected}
              onSelect={setSelected}
              center={center}
            />
            {graph.edges.length === 0 ? <NoLinks /> : null}
          </div>
          {selected ? (
            <SidePanel
              tenantId={tenantId}
              graph={graph}
              selection={selected}
              onFocus={(id) => void setFocus(id)}
              onClose={() => setSelected(null)}
            />
          ) : null}
        </div>
      )}
      <Legend />
    </>
  );
}

/** Over the canvas while no link is known: where links come from, and when they appear. */
function NoLinks() {
  return (
    <div className="pointer-events-none absolute inset-x-0 top-3 z-10 flex justify-center px-3">
      <div
        className="pointer-events-auto max-w-lg rounded-lg border bg-card px-4 py-3 text-[13px] shadow-md"
        role="status"
        data-no-links
      >
        <p className="font-semibold">No links yet</p>
        <p className="mt-1 text-muted-foreground">
          TOD draws links only from what routers report: neighbour discovery (MNDP, CDP, LLDP) and wireless
          registrations, read on each router's slower poll. A link appears once a router has reported a neighbour on one
          of its ports; routers with discovery turned off on a port show no link there.
        </p>
      </div>
    </div>
  );
}

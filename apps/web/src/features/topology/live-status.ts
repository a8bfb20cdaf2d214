import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { type Topology, topologyKeys } from '@/api/topology';
import { onDeviceState } from '../fleet/live';

// A device's status on the topology follows its polls without refetching the graph: `device.state` messages are
// collected and patched into every cached graph of the organisation once a second, replacing only the nodes whose
// status changed (so only those re-render, and the layout, which depends on the set of nodes alone, stays put).

/** The graph with these devices' statuses, or the same graph when none changed. */
export function withStatuses(graph: Topology | undefined, statuses: Map<string, string>): Topology | undefined {
  if (!graph) return graph;
  let changed = false;
  const nodes = graph.nodes.map((n) => {
    const s = n.device_id ? statuses.get(n.device_id) : undefined;
    if (s === undefined || s === n.status) return n;
    changed = true;
    return { ...n, status: s };
  });
  return changed ? { ...graph, nodes } : graph;
}

/** While mounted (with the fleet stream open), keeps the statuses of cached graphs current. */
export function useLiveStatuses(tenantId: string) {
  const queryClient = useQueryClient();
  useEffect(() => {
    const pending = new Map<string, string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const batch = new Map(pending);
      pending.clear();
      queryClient.setQueriesData<Topology>({ queryKey: topologyKeys.graphs(tenantId) }, (old) =>
        withStatuses(old, batch),
      );
    };
    const off = onDeviceState((s) => {
      pending.set(s.deviceId, s.status);
      timer ??= setTimeout(flush, 1000);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [queryClient, tenantId]);
}

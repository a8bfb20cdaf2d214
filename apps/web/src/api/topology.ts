import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { type LiveInvalidations, mutation } from './mutation';
import type { Body, Json } from './types';

// Topology: the links between routers as they report them (neighbour discovery, wireless registrations), the
// unmanaged neighbours they see, the path from the core to a device, and the devices named as cores.

const GRAPH = '/api/tenants/{tenant_id}/topology';
const UPSTREAM = '/api/tenants/{tenant_id}/devices/{device_id}/upstream';
const CORES = '/api/tenants/{tenant_id}/topology/cores';

export type Topology = Json<typeof GRAPH, 'get', 200>;
export type TopologyNode = Topology['nodes'][number];
export type TopologyEdge = Topology['edges'][number];
export type Evidence = TopologyEdge['evidence'][number];
export type EdgeState = TopologyEdge['state'];
export type Upstream = Json<typeof UPSTREAM, 'get', 200>;
export type CoresBody = Body<typeof CORES, 'put'>;

/** The graph's filters (each optional; the server narrows to devices in the site, group or tag and their neighbours). */
export type TopologyFilter = { site_id?: string; group_id?: string; tag_id?: string };

export const topologyKeys = {
  all: (t: string) => ['topology', t] as const,
  graphs: (t: string) => ['topology', t, 'graph'] as const,
  graph: (t: string, f: TopologyFilter) => ['topology', t, 'graph', f] as const,
  upstreams: (t: string) => ['topology', t, 'upstream'] as const,
  upstream: (t: string, deviceId: string) => ['topology', t, 'upstream', deviceId] as const,
};

export function topologyQuery(tenantId: string, f: TopologyFilter) {
  return queryOptions({
    queryKey: topologyKeys.graph(tenantId, f),
    queryFn: () => unwrap(api.GET(GRAPH, { params: { path: { tenant_id: tenantId }, query: f } })),
    // Links change only when ingest says so (topology.changed); statuses are patched from device.state.
    staleTime: 60_000,
  });
}

export function upstreamQuery(tenantId: string, deviceId: string) {
  return queryOptions({
    queryKey: topologyKeys.upstream(tenantId, deviceId),
    queryFn: () => unwrap(api.GET(UPSTREAM, { params: { path: { tenant_id: tenantId, device_id: deviceId } } })),
    staleTime: 60_000,
  });
}

/**
 * `topology.changed`: links appeared, went down or came back, so the graph and every path from the core may differ.
 * A device's status alone never refetches the graph: features/topology/live-status.ts patches it in place.
 */
export const topologyLive: LiveInvalidations = {
  'topology.changed': (t) => [topologyKeys.graphs(t), topologyKeys.upstreams(t)],
};

/** Replaces the list of named cores (empty: TOD infers one per part of the network); paths and depths move. */
export const setCores = mutation({
  run: (v: { tenantId: string; body: CoresBody }) =>
    unwrap(api.PUT(CORES, { params: { path: { tenant_id: v.tenantId } }, body: v.body })),
  invalidates: (v) => [topologyKeys.all(v.tenantId)],
});

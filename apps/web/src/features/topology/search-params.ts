// The Topology page's URL: filters and focus, so a view can be shared. Its own module, so the route tree (part of
// the first page's code) does not pull the page, ReactFlow and dagre in with it.

export type TopologySearch = { site?: string; group?: string; tag?: string; focus?: string };
const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
export const topologySearch = (s: Record<string, unknown>): TopologySearch => {
  const out: TopologySearch = {};
  for (const k of ['site', 'group', 'tag', 'focus'] as const) {
    const v = text(s[k]);
    if (v) out[k] = v;
  }
  return out;
};

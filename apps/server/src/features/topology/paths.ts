// Paths through the graph (pure): each connected part of the network (of two nodes or more) hangs from a core — the devices the
// organisation named as core in it, else the managed device with the most links (ties by id, so the choice is
// stable). "Upstream of X" is the shortest path from its part's core to X over links that are up; when only down
// links reach X, over those (and the answer says so). Distances order firmware upgrades farthest first.

export type PathEdge = { id: string; a: string; b: string; up: boolean };

export type CoreTree = {
  /** Hops from the core, per node reached. */
  distance: Map<string, number>;
  /** The edge and node each reached node hangs from (absent for cores). */
  parent: Map<string, { node: string; edge: string }>;
  /** The core of each node's part of the network, and whether it was named or inferred. */
  core: Map<string, { node: string; named: boolean }>;
  /** Nodes reached only over links that are down. */
  viaDown: Set<string>;
};

function adjacency(nodes: Iterable<string>, edges: readonly PathEdge[], upOnly: boolean) {
  const adj = new Map<string, Array<{ to: string; edge: string }>>();
  for (const n of nodes) adj.set(n, []);
  for (const e of edges) {
    if (upOnly && !e.up) continue;
    adj.get(e.a)?.push({ to: e.b, edge: e.id });
    adj.get(e.b)?.push({ to: e.a, edge: e.id });
  }
  return adj;
}

function components(adj: Map<string, Array<{ to: string }>>): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const start of adj.keys()) {
    if (seen.has(start)) continue;
    const part = [start];
    seen.add(start);
    for (let i = 0; i < part.length; i++)
      for (const { to } of adj.get(part[i] as string) ?? [])
        if (!seen.has(to)) {
          seen.add(to);
          part.push(to);
        }
    out.push(part);
  }
  return out;
}

/**
 * The core tree of a graph. `managed` says which nodes are managed devices (only they can be inferred cores);
 * `named` are the organisation's core devices.
 */
export function coreTree(
  nodes: readonly string[],
  edges: readonly PathEdge[],
  managed: (node: string) => boolean,
  named: ReadonlySet<string>,
): CoreTree {
  const all = adjacency(nodes, edges, false);
  const upOnly = adjacency(nodes, edges, true);
  const tree: CoreTree = { distance: new Map(), parent: new Map(), core: new Map(), viaDown: new Set() };
  for (const part of components(all)) {
    let cores = part.filter((n) => named.has(n));
    const isNamed = cores.length > 0;
    // A device with no links is in no network TOD knows of: no core, no place (firmware puts it last).
    if (!isNamed && part.length === 1) continue;
    if (!isNamed) {
      const candidates = part.filter(managed);
      if (candidates.length === 0) continue;
      const degree = (n: string) => all.get(n)?.length ?? 0;
      candidates.sort((x, y) => degree(y) - degree(x) || (x < y ? -1 : 1));
      cores = [candidates[0] as string];
    }
    // Breadth first from every core of the part: over up links, then the rest over any link.
    const reach = (overUp: boolean, frontier: string[]) => {
      const adj = overUp ? upOnly : all;
      const queue = [...frontier];
      for (let i = 0; i < queue.length; i++) {
        const n = queue[i] as string;
        const d = tree.distance.get(n) as number;
        for (const { to, edge } of adj.get(n) ?? []) {
          if (tree.distance.has(to)) continue;
          tree.distance.set(to, d + 1);
          tree.parent.set(to, { node: n, edge });
          tree.core.set(to, tree.core.get(n) as { node: string; named: boolean });
          if (!overUp || tree.viaDown.has(n)) tree.viaDown.add(to);
          queue.push(to);
        }
      }
    };
    for (const c of cores) {
      tree.distance.set(c, 0);
      tree.core.set(c, { node: c, named: isNamed });
    }
    reach(true, cores);
    const reached = part.filter((n) => tree.distance.has(n));
    reach(
      false,
      reached.sort((x, y) => (tree.distance.get(x) as number) - (tree.distance.get(y) as number)),
    );
  }
  return tree;
}

/** The path from the core to `node` (core first), with the edge into each hop; empty when it is not connected. */
export function pathTo(tree: CoreTree, node: string): Array<{ node: string; edge: string | null }> {
  if (!tree.distance.has(node)) return [];
  const out: Array<{ node: string; edge: string | null }> = [];
  let at: string | undefined = node;
  while (at !== undefined) {
    const p = tree.parent.get(at);
    out.push({ node: at, edge: p?.edge ?? null });
    at = p?.node;
  }
  return out.reverse();
}

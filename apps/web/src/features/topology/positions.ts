import { useCallback, useMemo, useRef, useState } from 'react';
import type { TopologyEdge, TopologyNode } from '@/api/topology';
import { type Point, placeNodes } from './layout';

// Where each node sits, per view (organisation and filters), kept for as long as the app runs: a refetch places only
// nodes new to the view, a node that leaves and comes back returns to its place, and a node someone dragged stays
// where they put it. Positions depend on the set of nodes alone, never on their statuses.

const views = new Map<string, Map<string, Point>>();

export function usePositions(viewKey: string, nodes: TopologyNode[], edges: TopologyEdge[]) {
  const latest = useRef({ nodes, edges });
  latest.current = { nodes, edges };
  const nodeSet = useMemo(() => nodes.map((n) => n.id).join('\n'), [nodes]);
  const [moves, setMoves] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed when the set of nodes changes (nodeSet) or a node is dragged (moves), not when a status changes
  const positions = useMemo(() => {
    const known = views.get(viewKey) ?? new Map<string, Point>();
    const { nodes: ns, edges: es } = latest.current;
    const placed = placeNodes(
      ns.map((n) => ({ id: n.id, depth: n.depth, label: n.label })),
      es,
      known,
    );
    for (const [id, p] of placed) known.set(id, p);
    views.set(viewKey, known);
    return placed;
  }, [viewKey, nodeSet, moves]);

  const move = useCallback(
    (moved: Map<string, Point>) => {
      const known = views.get(viewKey);
      if (!known || !moved.size) return;
      for (const [id, p] of moved) known.set(id, p);
      setMoves((m) => m + 1);
    },
    [viewKey],
  );
  /** Forgets this view's positions and lays it out afresh (after cores changed, say). */
  const relayout = useCallback(() => {
    views.delete(viewKey);
    setMoves((m) => m + 1);
  }, [viewKey]);
  return { positions, move, relayout };
}

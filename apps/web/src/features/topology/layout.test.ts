import { describe, expect, it } from 'vitest';
import {
  COL,
  type LayoutEdge,
  type LayoutNode,
  layoutAll,
  NODE_H,
  NODE_W,
  type Point,
  placeNodes,
  ROW,
} from './layout';

// The topology layout: layered from the cores, no two nodes on one spot, readable at 2,000 nodes, and stable —
// nodes already placed never move when others arrive.

/** A core with `first` children, each of which has `fanout` children, and so on up to `n` nodes. */
function tree(n: number, first = 30, fanout = 6) {
  const nodes: LayoutNode[] = [{ id: 'n0', label: 'core', depth: 0 }];
  const edges: LayoutEdge[] = [];
  const depth = [0];
  for (let i = 1; i < n; i++) {
    const parent = i <= first ? 0 : Math.floor((i - first - 1) / fanout) + 1;
    depth[i] = depth[parent]! + 1;
    nodes.push({ id: `n${i}`, label: `router-${String(i).padStart(4, '0')}`, depth: depth[i]! });
    edges.push({ source: `n${parent}`, target: `n${i}` });
  }
  return { nodes, edges };
}

function overlaps(pos: Map<string, Point>): number {
  const boxes = [...pos.values()];
  let n = 0;
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      if (Math.abs(a.x - b.x) < NODE_W && Math.abs(a.y - b.y) < NODE_H) n++;
    }
  return n;
}

function extent(pos: Map<string, Point>) {
  const xs = [...pos.values()].map((p) => p.x);
  const ys = [...pos.values()].map((p) => p.y);
  return { w: Math.max(...xs) - Math.min(...xs) + NODE_W, h: Math.max(...ys) - Math.min(...ys) + NODE_H };
}

describe('topology layout', () => {
  it('lays a small network out top-down from its core (dagre), a link between equals on one rank', () => {
    const nodes: LayoutNode[] = [
      { id: 'core', label: 'core', depth: 0 },
      { id: 'a', label: 'a', depth: 1 },
      { id: 'b', label: 'b', depth: 1 },
      { id: 'c', label: 'c', depth: 2 },
      { id: 'lone', label: 'lone', depth: null },
    ];
    const edges = [
      { source: 'a', target: 'core' },
      { source: 'core', target: 'b' },
      { source: 'a', target: 'b' },
      { source: 'c', target: 'b' },
    ];
    const pos = layoutAll(nodes, edges);
    expect(pos.size).toBe(5);
    expect(overlaps(pos)).toBe(0);
    const y = (id: string) => pos.get(id)!.y;
    expect(y('core')).toBeLessThan(y('a'));
    expect(y('a')).toBe(y('b'));
    expect(y('b')).toBeLessThan(y('c'));
    // Nodes without links go below the network.
    expect(y('lone')).toBeGreaterThan(y('c'));
  });

  it('keeps 2,000 nodes apart and about as wide as tall, each below the node it hangs from', () => {
    const { nodes, edges } = tree(2000);
    const pos = layoutAll(nodes, edges);
    expect(pos.size).toBe(2000);
    expect(overlaps(pos)).toBe(0);
    const { w, h } = extent(pos);
    expect(w / h).toBeLessThan(3);
    expect(h / w).toBeLessThan(3);
    for (const e of edges) expect(pos.get(e.target)!.y).toBeGreaterThan(pos.get(e.source)!.y);
  });

  it('places only new nodes, beside the neighbour they hang from, and never moves the others', () => {
    const { nodes, edges } = tree(200);
    const first = placeNodes(nodes, edges, new Map());
    const grown = tree(230);
    const next = placeNodes(grown.nodes, grown.edges, first);
    for (const [id, p] of first) expect(next.get(id)).toBe(p);
    expect(next.size).toBe(230);
    expect(overlaps(next)).toBe(0);
    // A new leaf sits one row below its parent.
    const parent = grown.edges.find((e) => e.target === 'n229')!.source;
    expect(next.get('n229')!.y).toBe(next.get(parent)!.y + ROW);
    // Nothing new: the same places.
    const again = placeNodes(grown.nodes, grown.edges, next);
    expect([...again]).toEqual([...next]);
  });

  it('puts a part of the network not connected to anything placed in a block below', () => {
    const placed = layoutAll([{ id: 'a', label: 'a', depth: 0 }], []);
    const next = placeNodes(
      [
        { id: 'a', label: 'a', depth: 0 },
        { id: 'x', label: 'x', depth: 0 },
        { id: 'y', label: 'y', depth: 1 },
      ],
      [{ source: 'x', target: 'y' }],
      placed,
    );
    expect(next.get('a')).toBe(placed.get('a'));
    expect(next.get('x')!.y).toBeGreaterThan(placed.get('a')!.y);
    expect(next.get('y')!.y).toBeGreaterThan(next.get('x')!.y);
    expect(overlaps(next)).toBe(0);
    expect(Math.abs(next.get('x')!.x - next.get('y')!.x)).toBeLessThan(COL);
  });
});

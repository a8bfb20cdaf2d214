import dagre from '@dagrejs/dagre';

// Where each node of the topology sits: layered top-down from the cores by depth. A graph seen before keeps its
// positions (placeNodes): only nodes new to it are placed, next to a neighbour that already has a place, so a
// refetch after a link change never reshuffles what a person was looking at, and a status change moves nothing.
//
// Small, narrow graphs are laid out by dagre (its crossing minimisation suits rings and meshes). Dagre puts each
// rank on one row (a core with 200 CPEs: a row 40,000 px wide) and spends about a millisecond per node, mostly in
// garbage collection (2,000 nodes: 2–3 s on a busy 2-core machine), so any other graph gets a layered tree layout
// of its own: the breadth-first tree from the cores, a wide parent's children wrapped into bands under it, linear
// in the number of nodes.

export type Point = { x: number; y: number };
export type LayoutNode = { id: string; depth: number | null; label: string };
export type LayoutEdge = { source: string; target: string };

/** A node's box on the canvas (the node component draws exactly this). */
export const NODE_W = 168;
export const NODE_H = 40;
/** One grid cell: a node plus the space around it. */
export const COL = NODE_W + 24;
export const ROW = NODE_H + 72;
/** Above this many nodes, the tree layout instead of dagre. */
export const DAGRE_LIMIT = 300;
/** Dagre keeps every rank on one row: beyond this many nodes on a rank, the picture gets too wide to read. */
const DAGRE_RANK_WIDTH = 12;

/**
 * Positions (top-left) for every node of the graph. Nodes in `known` keep theirs; the others are laid out: the
 * whole graph when none of its nodes is known yet, else one by one beside a placed neighbour, and what is not
 * connected to anything placed as a block below the rest.
 */
export function placeNodes(nodes: LayoutNode[], edges: LayoutEdge[], known: ReadonlyMap<string, Point>) {
  const out = new Map<string, Point>();
  const missing: LayoutNode[] = [];
  for (const n of nodes) {
    const p = known.get(n.id);
    if (p) out.set(n.id, p);
    else missing.push(n);
  }
  if (!missing.length) return out;
  if (!out.size) return layoutAll(nodes, edges);

  const adj = adjacency(edges);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const taken = new Set<string>();
  for (const p of out.values()) for (const c of cellsOf(p)) taken.add(c);

  // Breadth-first from what is placed: each new node goes under (or beside) its nearest placed neighbour.
  const queue = missing.filter((n) => (adj.get(n.id) ?? []).some((m) => out.has(m)));
  const queued = new Set(queue.map((n) => n.id));
  while (queue.length) {
    const n = queue.shift()!;
    const anchors = (adj.get(n.id) ?? []).filter((m) => out.has(m)).map((m) => byId.get(m)!);
    anchors.sort((a, b) => (a.depth ?? 1e9) - (b.depth ?? 1e9) || a.id.localeCompare(b.id));
    const anchor = anchors[0]!;
    const a = out.get(anchor.id)!;
    const below = n.depth === null || anchor.depth === null || n.depth > anchor.depth;
    const row = Math.round(a.y / ROW) + (below ? 1 : n.depth! < anchor.depth! ? -1 : 0);
    const p = freeCell(taken, Math.round(a.x / COL), row);
    out.set(n.id, p);
    for (const c of cellsOf(p)) taken.add(c);
    for (const m of adj.get(n.id) ?? []) {
      const next = byId.get(m);
      if (next && !out.has(m) && !queued.has(m)) {
        queued.add(m);
        queue.push(next);
      }
    }
  }

  const rest = missing.filter((n) => !out.has(n.id));
  if (rest.length) {
    const ids = new Set(rest.map((n) => n.id));
    const block = layoutAll(
      rest,
      edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
    );
    let minX = Number.POSITIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (const p of out.values()) {
      minX = Math.min(minX, p.x);
      maxY = Math.max(maxY, p.y);
    }
    for (const [id, p] of block) out.set(id, { x: p.x + minX, y: p.y + maxY + 2 * ROW });
  }
  return out;
}

/** A fresh layout of the whole graph: the connected part layered from the cores, lone nodes in rows below. */
export function layoutAll(nodes: LayoutNode[], edges: LayoutEdge[]): Map<string, Point> {
  const adj = adjacency(edges);
  const linked = nodes.filter((n) => adj.has(n.id));
  const alone = nodes.filter((n) => !adj.has(n.id)).sort(byLabel);
  const levels = levelsOf(linked, adj);
  const out = suitsDagre(levels) ? dagreLayout(linked, edges, levels) : treeLayout(linked, adj, levels);
  let maxY = -ROW;
  for (const p of out.values()) maxY = Math.max(maxY, p.y);
  const cols = Math.max(8, Math.ceil(Math.sqrt(alone.length * 2)));
  alone.forEach((n, i) => {
    out.set(n.id, { x: (i % cols) * COL, y: maxY + (linked.length ? 2 * ROW : ROW) + Math.floor(i / cols) * ROW });
  });
  return out;
}

const byLabel = (a: LayoutNode, b: LayoutNode) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id);

function adjacency(edges: LayoutEdge[]) {
  const adj = new Map<string, string[]>();
  const add = (a: string, b: string) => {
    const l = adj.get(a);
    if (l) l.push(b);
    else adj.set(a, [b]);
  };
  for (const e of edges) {
    if (e.source === e.target) continue;
    add(e.source, e.target);
    add(e.target, e.source);
  }
  return adj;
}

/**
 * The rank of each linked node: the server's depth (hops from its core); a part of the network without a core
 * gets hops from its best-connected node.
 */
function levelsOf(linked: LayoutNode[], adj: Map<string, string[]>) {
  const level = new Map<string, number>();
  for (const n of linked) if (n.depth !== null) level.set(n.id, n.depth);
  const orphans = linked
    .filter((n) => n.depth === null)
    .sort((a, b) => (adj.get(b.id)?.length ?? 0) - (adj.get(a.id)?.length ?? 0) || a.id.localeCompare(b.id));
  for (const start of orphans) {
    if (level.has(start.id)) continue;
    level.set(start.id, 0);
    const queue = [start.id];
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i]!;
      for (const m of adj.get(id) ?? []) {
        if (level.has(m)) continue;
        level.set(m, level.get(id)! + 1);
        queue.push(m);
      }
    }
  }
  return level;
}

/** Small and narrow: dagre's crossing minimisation is worth its cost and its one-row ranks stay readable. */
function suitsDagre(level: Map<string, number>) {
  if (level.size > DAGRE_LIMIT) return false;
  const perRank = new Map<number, number>();
  for (const d of level.values()) perRank.set(d, (perRank.get(d) ?? 0) + 1);
  return Math.max(0, ...perRank.values()) <= DAGRE_RANK_WIDTH;
}

function dagreLayout(nodes: LayoutNode[], edges: LayoutEdge[], level: Map<string, number>) {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: COL - NODE_W, ranksep: ROW - NODE_H, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of [...nodes].sort(byLabel)) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  for (const e of edges) {
    if (e.source === e.target || !g.hasNode(e.source) || !g.hasNode(e.target)) continue;
    const [a, b] = [level.get(e.source) ?? 0, level.get(e.target) ?? 0];
    // Downwards from the core. A link between two nodes of one depth is left out (dagre cannot route an edge
    // within a rank; the canvas draws it all the same), so the ranks follow depth.
    if (a === b) continue;
    const [from, to] = a < b ? [e.source, e.target] : [e.target, e.source];
    if (!g.hasEdge(from, to) && !g.hasEdge(to, from)) g.setEdge(from, to);
  }
  dagre.layout(g);
  const out = new Map<string, Point>();
  for (const id of g.nodes()) {
    const n = g.node(id);
    out.set(id, { x: (n.x ?? 0) - NODE_W / 2, y: (n.y ?? 0) - NODE_H / 2 });
  }
  return out;
}

/**
 * The breadth-first tree from each root (depth 0). Each subtree is a block of cells: its node on top, its children's
 * blocks below in bands, a band wrapping before it gets much wider than the block is tall, so a core with hundreds
 * of CPEs is a square of them rather than one row a hundred metres wide.
 */
function treeLayout(nodes: LayoutNode[], adj: Map<string, string[]>, level: Map<string, number>) {
  const children = new Map<string, LayoutNode[]>();
  const roots: LayoutNode[] = [];
  for (const n of nodes) {
    const d = level.get(n.id) ?? 0;
    const parent = (adj.get(n.id) ?? []).filter((m) => level.get(m) === d - 1).sort()[0];
    if (d === 0 || parent === undefined) roots.push(n);
    else {
      const l = children.get(parent);
      if (l) l.push(n);
      else children.set(parent, [n]);
    }
  }
  for (const l of children.values()) l.sort(byLabel);
  roots.sort(byLabel);

  // Blocks bottom-up, without recursion: a chain of thousands of hops must not overflow the stack.
  const order: string[] = [];
  const stack = roots.map((r) => r.id);
  while (stack.length) {
    const id = stack.pop()!;
    order.push(id);
    for (const c of children.get(id) ?? []) stack.push(c.id);
  }
  type Band = { ids: string[]; w: number; h: number };
  const block = new Map<string, { w: number; h: number; bands: Band[] }>();
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    const kids = (children.get(id) ?? []).map((c) => ({ id: c.id, ...block.get(c.id)! }));
    const area = kids.reduce((s, k) => s + k.w * k.h, 0);
    const limit = Math.max(...kids.map((k) => k.w), Math.ceil(Math.sqrt(area)));
    const bands: Band[] = [];
    for (const k of kids) {
      const band = bands.at(-1);
      if (band && band.w + k.w <= limit) {
        band.ids.push(k.id);
        band.w += k.w;
        band.h = Math.max(band.h, k.h);
      } else bands.push({ ids: [k.id], w: k.w, h: k.h });
    }
    block.set(id, {
      w: Math.max(1, ...bands.map((b) => b.w)),
      h: 1 + bands.reduce((s, b) => s + b.h, 0),
      bands,
    });
  }

  // Positions top-down: a node centred over its block, each band centred under it.
  const out = new Map<string, Point>();
  let left = 0;
  for (const r of roots) {
    const pending: [string, number, number][] = [[r.id, left, level.get(r.id) ?? 0]];
    while (pending.length) {
      const [id, l, top] = pending.pop()!;
      const b = block.get(id)!;
      out.set(id, { x: (l + (b.w - 1) / 2) * COL, y: top * ROW });
      let y = top + 1;
      for (const band of b.bands) {
        let x = l + Math.floor((b.w - band.w) / 2);
        for (const c of band.ids) {
          pending.push([c, x, y]);
          x += block.get(c)!.w;
        }
        y += band.h;
      }
    }
    left += block.get(r.id)!.w + 1;
  }
  return out;
}

/** The grid cells a node's box touches (a laid-out node need not sit exactly on the grid). */
function cellsOf(p: Point): string[] {
  const [x, y] = [p.x / COL, p.y / ROW];
  const xs = new Set([Math.floor(x), Math.ceil(x)]);
  const ys = new Set([Math.floor(y), Math.ceil(y)]);
  return [...xs].flatMap((c) => [...ys].map((r) => `${c},${r}`));
}

/** The free cell nearest to (col, row) along the row, alternating right and left. */
function freeCell(taken: Set<string>, col: number, row: number): Point {
  for (let i = 0; ; i++) {
    const c = col + (i % 2 === 0 ? i / 2 : -(i + 1) / 2);
    if (!taken.has(`${c},${row}`)) return { x: c * COL, y: row * ROW };
  }
}

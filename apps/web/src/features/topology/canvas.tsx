import '@xyflow/react/dist/style.css';
import './topology.css';
import {
  Background,
  Controls,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import { LayoutGrid } from 'lucide-react';
import { type Dispatch, type SetStateAction, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Topology } from '@/api/topology';
import { Button } from '@/components/ui/button';
import { type LinkEdge, LinkEdgeComponent, linkTitle } from './edge';
import { NODE_H, NODE_W, type Point } from './layout';
import { type DeviceNode, DeviceNodeComponent, nodeHandles } from './node';
import { usePositions } from './positions';
import { toneLabel, toneOf } from './words';

// The topology canvas: ReactFlow over the stable layout. Built for 2,000 nodes: only what is in view is rendered
// (onlyRenderVisibleElements), node and edge types are fixed module constants, each node's box and attachment
// points are known up front (nothing to measure before edges can be drawn), and node and edge objects are reused
// across renders unless their own device, link, place or selection changed, so a status change re-renders one node.

export type Selection = { kind: 'node' | 'edge'; id: string };

const nodeTypes = { device: DeviceNodeComponent };
const edgeTypes = { link: LinkEdgeComponent };
const fitOptions = { padding: 0.2, maxZoom: 1.2 };
/**
 * Above this many nodes, the view never zooms out so far that more than a few hundred are on screen at once (each
 * is a DOM element; the minimap is the overview), and it opens on the core rather than on the whole graph.
 */
const LARGE = 300;
const LARGE_MIN_ZOOM = 0.25;
const OPENING_ZOOM = 0.6;

export type CanvasProps = {
  /** Positions are kept per view (organisation and filters). */
  viewKey: string;
  graph: Topology;
  /** Only this node and its neighbours, when set. */
  focus: string | null;
  selected: Selection | null;
  onSelect: Dispatch<SetStateAction<Selection | null>>;
  /** Pans to this node whenever `seq` changes (search). */
  center: { id: string; seq: number } | null;
};

export function TopologyCanvas(props: CanvasProps) {
  return (
    <ReactFlowProvider>
      <Flow {...props} />
    </ReactFlowProvider>
  );
}

/** The node and the nodes one link away. */
export function neighbourhood(graph: Topology, id: string): Set<string> {
  const out = new Set([id]);
  for (const e of graph.edges) {
    if (e.source === id) out.add(e.target);
    if (e.target === id) out.add(e.source);
  }
  return out;
}

function Flow({ viewKey, graph, focus, selected, onSelect, center }: CanvasProps) {
  const flow = useReactFlow();
  const { positions, move, relayout } = usePositions(viewKey, graph.nodes, graph.edges);
  const cores = useMemo(() => new Set(graph.cores.map((c) => c.device_id)), [graph.cores]);
  const labels = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n.label])), [graph.nodes]);
  const shown = useMemo(() => (focus ? neighbourhood(graph, focus) : null), [graph, focus]);

  const nodeCache = useRef(new Map<string, DeviceNode>());
  const nodes = useMemo(() => {
    const prev = nodeCache.current;
    const next = new Map<string, DeviceNode>();
    for (const n of graph.nodes) {
      if (shown && !shown.has(n.id)) continue;
      const position = positions.get(n.id);
      if (!position) continue;
      const isSelected = selected?.kind === 'node' && selected.id === n.id;
      const core = n.device_id !== undefined && cores.has(n.device_id);
      const old = prev.get(n.id);
      next.set(
        n.id,
        old && old.data.node === n && old.position === position && old.selected === isSelected && old.data.core === core
          ? old
          : {
              id: n.id,
              type: 'device',
              position,
              data: { node: n, core },
              selected: isSelected,
              width: NODE_W,
              height: NODE_H,
              measured: { width: NODE_W, height: NODE_H },
              handles: nodeHandles,
              ariaLabel: `${n.label}: ${toneLabel[toneOf(n)]}${core ? ', core' : ''}`,
            },
      );
    }
    nodeCache.current = next;
    return [...next.values()];
  }, [graph.nodes, positions, shown, selected, cores]);

  const edgeCache = useRef(new Map<string, LinkEdge>());
  const edges = useMemo(() => {
    const prev = edgeCache.current;
    const next = new Map<string, LinkEdge>();
    for (const e of graph.edges) {
      if (shown && !(shown.has(e.source) && shown.has(e.target))) continue;
      const [a, b] = [positions.get(e.source), positions.get(e.target)];
      if (!a || !b) continue;
      // Drawn from the upper end's bottom to the lower end's top, whichever way the server named them.
      const down = a.y < b.y || (a.y === b.y && a.x <= b.x);
      const [source, target] = down ? [e.source, e.target] : [e.target, e.source];
      const isSelected = selected?.kind === 'edge' && selected.id === e.id;
      const old = prev.get(e.id);
      if (old && old.data?.edge === e && old.source === source && old.selected === isSelected) {
        next.set(e.id, old);
        continue;
      }
      const data = { edge: e, from: labels.get(e.source) ?? e.source, to: labels.get(e.target) ?? e.target };
      next.set(e.id, {
        id: e.id,
        type: 'link',
        source,
        target,
        data,
        selected: isSelected,
        zIndex: isSelected ? 1 : 0,
        ariaLabel: linkTitle(data).split('\n')[0],
      });
    }
    edgeCache.current = next;
    return [...next.values()];
  }, [graph.edges, positions, shown, selected, labels]);

  // Selection follows ReactFlow's own select changes: a click, Enter on a focused node or link, a click on the pane.
  const onNodesChange = useCallback(
    (changes: NodeChange<DeviceNode>[]) => {
      const moved = new Map<string, Point>();
      for (const c of changes) if (c.type === 'position' && c.position) moved.set(c.id, c.position);
      move(moved);
      select(changes, 'node', onSelect);
    },
    [move, onSelect],
  );
  const onEdgesChange = useCallback((changes: EdgeChange<LinkEdge>[]) => select(changes, 'edge', onSelect), [onSelect]);

  // Search: bring the node into view at a readable zoom.
  const latest = useRef({ center, positions });
  latest.current = { center, positions };
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new search request (seq) moves the view
  useEffect(() => {
    const { center: c, positions: at } = latest.current;
    const p = c ? at.get(c.id) : undefined;
    if (p)
      void flow.setCenter(p.x + NODE_W / 2, p.y + NODE_H / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 250 });
  }, [center?.seq, flow]);

  // A new view (filters) or focus: fit what is shown once its nodes are in; a large graph opens on its core.
  const large = nodes.length > LARGE;
  const opening = useRef({ large, positions, cores: graph.cores });
  opening.current = { large, positions, cores: graph.cores };
  const fitted = useRef('');
  // The viewport can be moved once ReactFlow has measured its pane (onInit).
  const [ready, setReady] = useState(false);
  // The minimap draws every node (2,000 rectangles take a second or two on a slow machine): it comes in after the
  // first nodes are on screen, not before.
  const [overview, setOverview] = useState(false);
  useEffect(() => {
    if (!ready) return;
    const t = setTimeout(() => setOverview(true), 250);
    return () => clearTimeout(t);
  }, [ready]);
  useEffect(() => {
    const key = `${viewKey}|${focus ?? ''}`;
    if (!ready || fitted.current === key || !nodes.length) return;
    fitted.current = key;
    const frame = requestAnimationFrame(() => {
      const { large: big, positions: at, cores: cs } = opening.current;
      const core = big ? cs.map((c) => at.get(c.device_id)).find((p) => p !== undefined) : undefined;
      if (core) void flow.setCenter(core.x + NODE_W / 2, core.y + 2 * NODE_H, { zoom: OPENING_ZOOM });
      else void flow.fitView({ ...fitOptions, minZoom: big ? LARGE_MIN_ZOOM : undefined, duration: 200 });
    });
    return () => cancelAnimationFrame(frame);
  }, [viewKey, focus, nodes.length, flow, ready]);

  return (
    <ReactFlow<DeviceNode, LinkEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onlyRenderVisibleElements
      nodesConnectable={false}
      edgesReconnectable={false}
      deleteKeyCode={null}
      minZoom={large ? LARGE_MIN_ZOOM : 0.05}
      maxZoom={2}
      onInit={() => setReady(true)}
    >
      <Background gap={24} />
      <Controls showInteractive={false} />
      {overview ? (
        <MiniMap pannable zoomable nodeClassName={(n) => `minimap-${toneOf((n as DeviceNode).data.node)}`} />
      ) : null}
      <Panel position="top-right">
        <Button
          size="sm"
          title="Places stay put as links come and go; this lays the view out afresh from its cores"
          onClick={() => {
            relayout();
            // Once the new places are rendered.
            setTimeout(() => void flow.fitView({ ...fitOptions, duration: 200 }), 50);
          }}
        >
          <LayoutGrid aria-hidden /> Lay out again
        </Button>
      </Panel>
    </ReactFlow>
  );
}

function select(
  changes: (NodeChange | EdgeChange)[],
  kind: Selection['kind'],
  onSelect: Dispatch<SetStateAction<Selection | null>>,
) {
  let picked: string | null = null;
  const dropped: string[] = [];
  for (const c of changes) {
    if (c.type !== 'select') continue;
    if (c.selected) picked = c.id;
    else dropped.push(c.id);
  }
  if (picked !== null) onSelect({ kind, id: picked });
  else if (dropped.length) onSelect((cur) => (cur?.kind === kind && dropped.includes(cur.id) ? null : cur));
}

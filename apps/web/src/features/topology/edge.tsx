import { type Edge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import { memo } from 'react';
import type { TopologyEdge } from '@/api/topology';
import { cn } from '@/lib/cn';
import { evidenceLines, stateText } from './words';

// One link of the topology canvas, styled by state (up solid, down red dashed, stale grey dotted) and kind (a
// wireless link in the info colour). Its evidence is the native tooltip (free at any size); the selected link
// also shows it as a label.

export type LinkEdgeData = { edge: TopologyEdge; from: string; to: string };
export type LinkEdge = Edge<LinkEdgeData, 'link'>;

/** The tooltip and label text: the two ends, the state and each piece of evidence. */
export function linkTitle(d: LinkEdgeData): string {
  const kind = d.edge.kind === 'wireless' ? 'Wireless link' : 'Link';
  return [`${kind} ${d.from} — ${d.to}: ${stateText(d.edge)}`, ...evidenceLines(d.edge)].join('\n');
}

function LinkEdgeView(p: EdgeProps<LinkEdge>) {
  const d = p.data!;
  const [path, labelX, labelY] = getBezierPath(p);
  return (
    <>
      <path
        d={path}
        fill="none"
        className={cn('react-flow__edge-path topology-link', `link-${d.edge.state}`, `link-${d.edge.kind}`)}
      />
      <path d={path} fill="none" strokeOpacity={0} strokeWidth={14} className="react-flow__edge-interaction">
        <title>{linkTitle(d)}</title>
      </path>
      {p.selected ? (
        <EdgeLabelRenderer>
          <div
            className="topology-edge-label nodrag nopan absolute rounded-md border bg-popover px-2 py-1 text-[11px] whitespace-pre shadow-md"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-edge-label
          >
            {linkTitle(d)}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const LinkEdgeComponent = memo(LinkEdgeView);

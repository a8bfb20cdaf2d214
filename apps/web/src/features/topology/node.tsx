import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { TopologyNode } from '@/api/topology';
import { cn } from '@/lib/cn';
import { NODE_H, NODE_W } from './layout';
import { toneDot, toneOf } from './words';

// One node of the topology canvas: a status dot and the device's name in a fixed box (the layout's cell). Kept
// small and memoised: a 2,000-node graph renders only the nodes in view, and a status change re-renders one node.

export type DeviceNodeData = { node: TopologyNode; core: boolean };
export type DeviceNode = Node<DeviceNodeData, 'device'>;

/** Where edges attach: the middle of the top (from the core's side) and of the bottom edge. */
export const nodeHandles = [
  { type: 'target' as const, position: Position.Top, x: NODE_W / 2, y: 0, width: 1, height: 1, id: null },
  { type: 'source' as const, position: Position.Bottom, x: NODE_W / 2, y: NODE_H, width: 1, height: 1, id: null },
];

function DeviceNodeView({ data, selected }: NodeProps<DeviceNode>) {
  const n = data.node;
  const tone = toneOf(n);
  return (
    <div
      data-node={n.label}
      data-status={tone}
      className={cn(
        'topology-node flex size-full items-center gap-2 rounded-md border bg-card px-2.5 text-[12px] shadow-xs',
        !n.managed && 'border-dashed bg-surface text-muted-foreground',
        n.external && 'opacity-70',
        selected && 'border-foreground ring-2 ring-ring/40',
      )}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} className="topology-handle" />
      <span aria-hidden className={cn('size-2.5 shrink-0 rounded-full', toneDot[tone])} />
      <span className="min-w-0 flex-1 truncate font-medium">{n.label}</span>
      {data.core ? (
        <span className="rounded border px-1 text-[10px] leading-4 text-muted-foreground uppercase">core</span>
      ) : null}
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="topology-handle" />
    </div>
  );
}

export const DeviceNodeComponent = memo(DeviceNodeView);

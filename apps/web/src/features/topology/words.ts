import type { EdgeState, Evidence, TopologyEdge, TopologyNode } from '@/api/topology';
import { ago, dateTime } from '@/lib/format';

// How the topology says things: statuses, link states, evidence.

export type NodeTone = 'online' | 'degraded' | 'offline' | 'unknown' | 'unmanaged';

/** A node's colour: the device's status, or unmanaged (seen by a neighbour, not in TOD). */
export function toneOf(n: Pick<TopologyNode, 'managed' | 'status'>): NodeTone {
  if (!n.managed) return 'unmanaged';
  return n.status === 'online' || n.status === 'degraded' || n.status === 'offline' ? n.status : 'unknown';
}

export const toneLabel: Record<NodeTone, string> = {
  online: 'Online',
  degraded: 'Degraded',
  offline: 'Offline',
  unknown: 'Unknown',
  unmanaged: 'Not in TOD',
};

/** The status dot's colour class (the app's status tokens, as the device table uses them). */
export const toneDot: Record<NodeTone, string> = {
  online: 'bg-success',
  degraded: 'bg-warning',
  offline: 'bg-destructive',
  unknown: 'bg-muted-foreground',
  unmanaged: 'border border-dashed border-muted-foreground bg-transparent',
};

export const stateLabel: Record<EdgeState, string> = { up: 'Up', down: 'Down', stale: 'Stale' };

const protocolLabel: Record<string, string> = {
  mndp: 'MNDP',
  cdp: 'CDP',
  lldp: 'LLDP',
  neighbor: 'Neighbour discovery',
  wireless: 'Wireless registration',
};
export const protocolName = (p: string) => protocolLabel[p] ?? p;

/** "ether2 → ether1" from the source's side; a side a router did not name is a dash. */
export const ports = (e: Pick<Evidence, 'source_interface' | 'target_interface'>) =>
  `${e.source_interface ?? '—'} → ${e.target_interface ?? '—'}`;

/** One line per piece of evidence: what saw the link, on which ports, when. */
export function evidenceLines(e: TopologyEdge): string[] {
  return e.evidence.map(
    (x) =>
      `${protocolName(x.protocol)}: ${ports(x)}, ${x.gone_at ? `gone ${ago(x.gone_at)}` : `seen ${ago(x.last_seen)}`}`,
  );
}

/** The link's state in words: "Down since 3 Dec 2026, 10:42", "Up", "Stale (last seen yesterday)". */
export function stateText(e: Pick<TopologyEdge, 'state' | 'down_since' | 'last_seen'>): string {
  if (e.state === 'down') return e.down_since ? `Down since ${dateTime(e.down_since)}` : 'Down';
  if (e.state === 'stale') return `Stale (last seen ${ago(e.last_seen)})`;
  return 'Up';
}

import { edgeId } from './edge-id.js';
import type { Observation } from './observe.js';

// The edges implied by stored observations (pure): one edge per pair of nodes, both directions merged, each piece of
// evidence oriented from node_a to node_b. A node is a managed device (its id) or an unmanaged neighbour
// (`u:<MAC>`). Wireless registrations make an edge only where they name a managed device: the phones on an access
// point are its clients (the wireless feature lists them), not network nodes.

/** A sighting as stored: what the router said, whose it is, and when it was last (and no longer) seen. */
export type StoredObservation = Observation & {
  tenant_id: string;
  device_id: string;
  remote_device_id: string | null;
  last_seen: string;
  gone_at: string | null;
};

export type Evidence = {
  protocol: string;
  source_interface: string | null;
  target_interface: string | null;
  last_seen: string;
  gone_at: string | null;
};

export type Unmanaged = {
  mac: string | null;
  identity: string | null;
  address: string | null;
  platform: string | null;
  board: string | null;
  version: string | null;
};

export type EdgeRow = {
  tenant_id: string;
  id: string;
  node_a: string;
  node_b: string;
  device_a: string | null;
  device_b: string | null;
  evidence: Evidence[];
  up: boolean;
  last_seen: string;
  down_since: string | null;
  unmanaged: Unmanaged | null;
};

export const unmanagedNode = (remoteKey: string) => `u:${remoteKey}`;
export const isDeviceNode = (node: string) => !node.startsWith('u:');

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

/** Adds a sighting to the evidence list, merged with one of the same protocol whose interfaces agree. */
function addEvidence(list: Evidence[], e: Evidence) {
  const same = list.find(
    (x) =>
      x.protocol === e.protocol &&
      (x.source_interface === null || e.source_interface === null || x.source_interface === e.source_interface) &&
      (x.target_interface === null || e.target_interface === null || x.target_interface === e.target_interface),
  );
  if (!same) {
    list.push({ ...e });
    return;
  }
  same.source_interface ??= e.source_interface;
  same.target_interface ??= e.target_interface;
  same.last_seen = later(same.last_seen, e.last_seen) as string;
  // Current when either end still sees it.
  same.gone_at = same.gone_at === null || e.gone_at === null ? null : later(same.gone_at, e.gone_at);
}

/** The edges of these observations (every edge any of them belongs to, complete when all its sightings are given). */
export function edgesOf(observations: readonly StoredObservation[]): EdgeRow[] {
  const edges = new Map<string, EdgeRow>();
  for (const o of observations) {
    if (o.remote_device_id === o.device_id) continue; // a router's own two ports cabled together is not an edge
    if (o.source === 'wireless' && o.remote_device_id === null) continue;
    const self = o.device_id;
    const other = o.remote_device_id ?? unmanagedNode(o.remote_key);
    const forward = self < other;
    const [a, b] = forward ? [self, other] : [other, self];
    const key = `${o.tenant_id}|${a}|${b}`;
    let edge = edges.get(key);
    if (!edge) {
      edge = {
        tenant_id: o.tenant_id,
        id: edgeId(a, b),
        node_a: a,
        node_b: b,
        device_a: isDeviceNode(a) ? a : null,
        device_b: isDeviceNode(b) ? b : null,
        evidence: [],
        up: false,
        last_seen: o.last_seen,
        down_since: null,
        unmanaged: null,
      };
      edges.set(key, edge);
    }
    const [sourceIf, targetIf] = forward
      ? [o.local_interface, o.remote_interface]
      : [o.remote_interface, o.local_interface];
    for (const protocol of o.protocols)
      addEvidence(edge.evidence, {
        protocol,
        source_interface: sourceIf,
        target_interface: targetIf,
        last_seen: o.last_seen,
        gone_at: o.gone_at,
      });
    if (o.remote_device_id === null && (edge.unmanaged === null || o.last_seen >= edge.last_seen))
      edge.unmanaged = {
        mac: o.remote_mac,
        identity: o.remote_identity,
        address: o.remote_address,
        platform: o.remote_platform,
        board: o.remote_board,
        version: o.remote_version,
      };
    edge.last_seen = later(edge.last_seen, o.last_seen) as string;
  }
  for (const e of edges.values()) {
    e.evidence.sort(
      (x, y) =>
        x.protocol.localeCompare(y.protocol) || (x.source_interface ?? '').localeCompare(y.source_interface ?? ''),
    );
    e.up = e.evidence.some((x) => x.gone_at === null);
    e.down_since = e.up ? null : e.evidence.reduce<string | null>((m, x) => later(m, x.gone_at), null);
  }
  return [...edges.values()];
}

/** An edge's state now: up, down (since down_since), or stale (down for more than a day). */
export function edgeState(
  e: { up: boolean; down_since: string | Date | null },
  now = Date.now(),
): 'up' | 'down' | 'stale' {
  if (e.up) return 'up';
  const since = e.down_since === null ? now : new Date(e.down_since).getTime();
  return now - since > 24 * 3_600_000 ? 'stale' : 'down';
}

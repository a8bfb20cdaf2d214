// Who hears whose discovery announcements. A device announces on each of its ports (RouterOS 6.44+ runs discovery
// on every bridge port). LLDP and CDP reach only the port across the link. MNDP is a UDP broadcast: a bridge floods
// it to its other ports, an access point relays it to its other stations, an unmanaged switch passes it on, so a
// device also hears, on the port facing them, every MikroTik in its layer-2 domain. That is what real neighbour
// tables look like (a tower router lists every CPE behind a bridged sector), and why an edge must not be drawn
// from every neighbour entry. Ports are small integers; the graph is rebuilt per change, and only the domains a
// change touches are flooded again (world.ts).

export const P_CDP = 1;
export const P_LLDP = 2;
export const P_MNDP = 4;

export interface L2Graph {
  size: number;
  /** Owning fleet device, -1 for an unmanaged node's port. */
  device: Int32Array;
  /** Forwarding unit (a bridge, an unmanaged switch) the port floods into, -1 for none. */
  unit: Int32Array;
  /** An access point relays broadcasts between its stations. */
  relays: Uint8Array;
  /** Protocols spoken (P_* bits). */
  proto: Uint8Array;
  /** Ports across up links (a cable's other end; an AP's stations; a station's AP). */
  peers: number[][];
  /** Unit id → its member ports. */
  members: number[][];
}

export function emptyGraph(size: number): L2Graph {
  return {
    size,
    device: new Int32Array(size).fill(-1),
    unit: new Int32Array(size).fill(-1),
    relays: new Uint8Array(size),
    proto: new Uint8Array(size),
    peers: Array.from({ length: size }, () => []),
    members: [],
  };
}

/** Connected component of every port (links and units join them). */
export function componentsOf(g: L2Graph): Int32Array {
  const comp = new Int32Array(g.size).fill(-1);
  let next = 0;
  const stack: number[] = [];
  for (let start = 0; start < g.size; start++) {
    if (comp[start] !== -1) continue;
    const c = next++;
    comp[start] = c;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      const around =
        g.unit[p] !== -1
          ? [...(g.peers[p] as number[]), ...(g.members[g.unit[p] as number] as number[])]
          : (g.peers[p] as number[]);
      for (const q of around) {
        if (comp[q] !== -1) continue;
        comp[q] = c;
        stack.push(q);
      }
    }
  }
  return comp;
}

/** Scratch space for floods, reused across senders (stamps instead of clearing). */
export class FloodScratch {
  private portStamp: Int32Array;
  private unitStamp: Int32Array;
  private stamp = 0;
  constructor(ports: number, units: number) {
    this.portStamp = new Int32Array(ports);
    this.unitStamp = new Int32Array(Math.max(1, units));
  }
  next(): number {
    this.stamp++;
    return this.stamp;
  }
  seenPort(p: number, s: number): boolean {
    if (this.portStamp[p] === s) return true;
    this.portStamp[p] = s;
    return false;
  }
  seenUnit(u: number, s: number): boolean {
    if (this.unitStamp[u] === s) return true;
    this.unitStamp[u] = s;
    return false;
  }
}

/**
 * Every port that hears `from`'s announcements, and by which protocols (P_* bits): LLDP/CDP across its links,
 * MNDP wherever the broadcast floods. A device does not hear itself; unmanaged nodes' own tables are not kept.
 * Returns the arrivals spent (the caller bounds the total).
 */
export function flood(
  g: L2Graph,
  from: number,
  s: FloodScratch,
  visit: (at: number, mask: number) => void,
  budget: number,
): number {
  const own = g.device[from] as number;
  const sends = g.proto[from] as number;
  const hear = (at: number, mask: number) => {
    const dev = g.device[at] as number;
    if (dev === -1 || dev === own) return;
    const m = mask & sends & (g.proto[at] as number);
    if (m !== 0) visit(at, m);
  };
  for (const p of g.peers[from] as number[]) hear(p, P_LLDP | P_CDP);
  if ((sends & P_MNDP) === 0) return 0;
  const stamp = s.next();
  s.seenPort(from, stamp);
  let spent = 0;
  const queue: Array<[number, number]> = (g.peers[from] as number[]).map((p) => [p, from]);
  for (let head = 0; head < queue.length && spent < budget; head++) {
    const [p, via] = queue[head] as [number, number];
    if (s.seenPort(p, stamp)) continue;
    spent++;
    hear(p, P_MNDP);
    if (g.relays[p]) for (const q of g.peers[p] as number[]) if (q !== via) queue.push([q, p]);
    const u = g.unit[p] as number;
    if (u !== -1 && !s.seenUnit(u, stamp)) {
      for (const m of g.members[u] as number[]) {
        if (m === p) continue;
        s.seenPort(m, stamp);
        for (const q of g.peers[m] as number[]) queue.push([q, m]);
      }
    }
  }
  return spent;
}

import type { PollResult } from '../poller/types.js';

// What one collection of a router says about its surroundings, as observation rows: each neighbour entry
// (/ip/neighbor) and each wireless registration is one sighting of a remote on a local port. Bytes from routers:
// every field is checked and bounded here, before anything is matched or stored.

export type Observation = {
  source: 'neighbor' | 'wireless';
  local_interface: string;
  remote_key: string;
  remote_mac: string | null;
  remote_identity: string | null;
  remote_address: string | null;
  remote_interface: string | null;
  remote_platform: string | null;
  remote_board: string | null;
  remote_version: string | null;
  protocols: string[];
};

/** At most this many sightings of each kind per device and collection (a switch's neighbour table can be long, not endless). */
export const MAX_OBSERVATIONS = 2000;

const MAC = /^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/;
const PROTOCOLS = new Set(['mndp', 'cdp', 'lldp']);

const text = (v: unknown, max = 200): string | null => {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t.slice(0, max);
};

export function normalizeMac(v: unknown): string | null {
  const t = text(v, 40)?.toUpperCase().replaceAll('-', ':');
  return t && MAC.test(t) ? t : null;
}

/**
 * The port of an interface as RouterOS names it in a neighbour entry: v7 lists a bridge port with its bridge
 * (`ether2,bridge`); the physical port is what links are drawn between. Other vendors' names (`Gi0/1`) stay whole.
 */
export function portOf(v: unknown): string | null {
  const first = text(v, 200)?.split(',')[0]?.trim() ?? '';
  return first === '' ? null : first;
}

/** Link-local discovery: LLDP and CDP frames are never forwarded by a bridge, so they name the router at the port. */
export const LINK_LOCAL = new Set(['cdp', 'lldp', 'lldp/cdp']);

/**
 * Which discovery protocols saw the neighbour. RouterOS says so from 7.7 (`discovered-by`); before, an entry that
 * carries LLDP/CDP fields (a system description or capabilities) came by one of them (`lldp/cdp`: which, it does not
 * say), and a MikroTik neighbour also speaks MNDP.
 */
function protocolsOf(row: Record<string, unknown>): string[] {
  const by = text(row['discovered-by']);
  if (by) {
    const list = by
      .split(',')
      .map((p) => p.trim().toLowerCase())
      .filter((p) => PROTOCOLS.has(p));
    if (list.length > 0) return [...new Set(list)].sort();
  }
  const out: string[] = [];
  if (text(row['system-description']) || text(row['system-caps'])) out.push('lldp/cdp');
  if (text(row.platform)?.toLowerCase() === 'mikrotik') out.push('mndp');
  return out.length > 0 ? out : ['lldp/cdp'];
}

/** The far end's port: a MikroTik names a bridge port `bridge/ether2` (from 6.44); other vendors' names stay whole. */
function remotePortOf(row: Record<string, unknown>): string | null {
  const name = portOf(row['interface-name']);
  if (!name || text(row.platform)?.toLowerCase() !== 'mikrotik') return name;
  return name.split('/').pop() || null;
}

/**
 * MNDP is flooded through bridges (and the access points and switches on the way), so a router hears routers
 * several hops away on one port. Where a port also hears a neighbour by LLDP or CDP, that one is the router at the
 * port, and the entries heard by MNDP alone there are relayed: not links.
 */
function withoutRelayed(list: Observation[]): Observation[] {
  const direct = new Set(list.filter((o) => o.protocols.some((p) => LINK_LOCAL.has(p))).map((o) => o.local_interface));
  return list.filter((o) => !direct.has(o.local_interface) || o.protocols.some((p) => LINK_LOCAL.has(p)));
}

function rows(v: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(v)) return [];
  return v.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r));
}

function neighborObservation(row: Record<string, unknown>): Observation | null {
  const local = portOf(row.interface);
  if (!local) return null;
  const mac = normalizeMac(row['mac-address']);
  const identity = text(row.identity);
  const address = text(row.address4) ?? text(row.address, 64);
  const key = mac ?? (identity ? `id:${identity}` : address ? `ip:${address}` : null);
  if (!key) return null;
  return {
    source: 'neighbor',
    local_interface: local,
    remote_key: key,
    remote_mac: mac,
    remote_identity: identity,
    remote_address: address,
    remote_interface: remotePortOf(row),
    remote_platform: text(row.platform, 100),
    remote_board: text(row.board, 100),
    remote_version: text(row.version, 100),
    protocols: protocolsOf(row),
  };
}

function registrationObservation(row: Record<string, unknown>): Observation | null {
  const local = portOf(row.interface);
  const mac = normalizeMac(row['mac-address']);
  if (!local || !mac) return null;
  return {
    source: 'wireless',
    local_interface: local,
    remote_key: mac,
    remote_mac: mac,
    remote_identity: text(row['radio-name']),
    remote_address: text(row['last-ip'], 64),
    remote_interface: null,
    remote_platform: null,
    remote_board: null,
    remote_version: text(row['routeros-version'], 100),
    protocols: ['wireless'],
  };
}

/**
 * The sightings in a poll result, or null when it carries no neighbour or wireless collection (a fast poll: the
 * observer's earlier sightings stand). A kind that was collected but is empty means everything of it went away.
 */
export function observationsOf(r: PollResult): { neighbor: boolean; wireless: boolean; rows: Observation[] } | null {
  const hasNeighbors = Array.isArray(r.facts.neighbors);
  const hasWireless = Array.isArray(r.facts.wireless);
  if (!hasNeighbors && !hasWireless) return null;
  const out = new Map<string, Observation>();
  const add = (o: Observation | null) => {
    if (!o || out.size >= MAX_OBSERVATIONS) return;
    const k = `${o.source}\u0000${o.local_interface}\u0000${o.remote_key}`;
    const had = out.get(k);
    // RouterOS lists a neighbour once per protocol on some versions: one sighting with every protocol.
    if (had) had.protocols = [...new Set([...had.protocols, ...o.protocols])].sort();
    else out.set(k, o);
  };
  for (const row of rows(r.facts.neighbors)) add(neighborObservation(row));
  const neighbors = withoutRelayed([...out.values()]);
  out.clear();
  for (const row of rows(r.facts.wireless)) add(registrationObservation(row));
  return { neighbor: hasNeighbors, wireless: hasWireless, rows: [...neighbors, ...out.values()] };
}

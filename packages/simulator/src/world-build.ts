// Turning a world spec into the world's parts, checked: every device index and port exists and is of the right kind
// (cables on ethernet ports, radio links on wireless interfaces), no port carries two cables, a station has one AP,
// ids are unique, MACs are MACs, nothing exceeds WORLD_LIMITS. A mistake is a WorldError naming the link and port.
// Radios are then set to the roles the world gives them (an AP in an AP mode, a station in a station mode on its
// AP's SSID, a band and channel where none is configured), as an installer would have configured them.
import type { Device } from './device.js';
import { unit } from './values.js';
import {
  bindName,
  bridgeOf,
  currentName,
  type PortItem,
  type PortMenu,
  portByName,
  radioChannel,
  radioRole,
  radioSsid,
} from './world-ports.js';
import {
  type ClientSchedule,
  type DiscoveryProtocol,
  MAC_RE,
  type PortRef,
  type UnmanagedNodeSpec,
  WORLD_LIMITS,
  WorldError,
  type WorldSpec,
} from './world-spec.js';

export interface WPort {
  key: string;
  device: number;
  bind: string;
  menu: PortMenu;
  /** The name it had at start (what a spec and `expectedEdges` speak of). */
  name: string;
}

export interface WCable {
  id: string;
  a: WPort;
  b: WPort;
  specUp: boolean;
}

export interface WRadio {
  id: string;
  ap: WPort;
  station: WPort;
  base: number;
  specUp: boolean;
}

export interface WNode {
  id: string;
  index: number;
  spec: UnmanagedNodeSpec;
  attach: WPort[];
  ports: string[];
  bridges: boolean;
  protocols: Set<DiscoveryProtocol>;
  specUp: boolean;
}

export interface WClient {
  key: string;
  mac: string;
  ap: WPort;
  lastIp: string | undefined;
  base: number;
  schedule: ClientSchedule | undefined;
}

export interface WCapsman {
  manager: number;
  caps: WPort[];
}

export interface WDegrade {
  /** A radio id, or the key of an AP port (a whole sector). */
  target: string;
  dbPerHour: number;
}

export interface ResolvedWorld {
  cables: WCable[];
  radios: WRadio[];
  nodes: WNode[];
  clients: WClient[];
  capsman: WCapsman[];
  degrade: WDegrade[];
  intervalMs: number;
  holdMs: number;
}

export function portKey(device: number, bind: string): string {
  return `d${device}:${bind}`;
}

function checkMac(what: string, mac: unknown): string {
  if (typeof mac !== 'string' || !MAC_RE.test(mac.toUpperCase()))
    throw new WorldError(`${what}: bad MAC address ${JSON.stringify(mac)}`);
  return mac.toUpperCase();
}

function checkCount(what: string, n: number, max: number): void {
  if (n > max) throw new WorldError(`${what}: ${n} given, at most ${max}`);
}

export function resolveWorld(spec: WorldSpec, devices: readonly Device[]): ResolvedWorld {
  const ids = new Set<string>();
  const takeId = (id: string | undefined, fallback: string): string => {
    const v = id ?? fallback;
    if (typeof v !== 'string' || v === '' || v.length > 200) throw new WorldError(`bad id ${JSON.stringify(v)}`);
    if (ids.has(v)) throw new WorldError(`duplicate id ${v}`);
    ids.add(v);
    return v;
  };
  const port = (what: string, ref: PortRef, kind: 'ether' | 'radio'): WPort => {
    if (!Array.isArray(ref) || ref.length !== 2) throw new WorldError(`${what}: a port is [deviceIndex, portName]`);
    const [index, name] = ref;
    if (!Number.isInteger(index) || index < 0 || index >= devices.length)
      throw new WorldError(`${what}: no device ${JSON.stringify(index)} (fleet of ${devices.length})`);
    const d = devices[index] as Device;
    const p: PortItem | undefined = typeof name === 'string' ? portByName(d, name) : undefined;
    if (!p) throw new WorldError(`${what}: device ${index} has no interface ${JSON.stringify(name)}`);
    if (kind === 'ether' && p.menu !== '/interface/ethernet')
      throw new WorldError(`${what}: ${name} on device ${index} is not an ethernet port`);
    if (kind === 'radio' && p.menu === '/interface/ethernet')
      throw new WorldError(`${what}: ${name} on device ${index} is not a wireless interface`);
    const bind = bindName(p.item);
    return { key: portKey(index, bind), device: index, bind, menu: p.menu, name: currentName(p.item) };
  };
  const wired = new Map<string, string>();
  const plug = (p: WPort, by: string) => {
    const had = wired.get(p.key);
    if (had) throw new WorldError(`port [${p.device}, ${p.name}] is used by ${had} and ${by}`);
    wired.set(p.key, by);
  };

  checkCount('cables and radio links', (spec.cables?.length ?? 0) + (spec.radios?.length ?? 0), WORLD_LIMITS.links);
  checkCount('unmanaged nodes', spec.unmanaged?.length ?? 0, WORLD_LIMITS.unmanaged);
  checkCount('wireless clients', spec.clients?.length ?? 0, WORLD_LIMITS.clients);

  const cables = (spec.cables ?? []).map((c, n) => {
    const id = takeId(c.id, `cable-${n + 1}`);
    const a = port(id, c.a, 'ether');
    const b = port(id, c.b, 'ether');
    if (a.device === b.device) throw new WorldError(`${id} connects device ${a.device} to itself`);
    plug(a, id);
    plug(b, id);
    return { id, a, b, specUp: c.up ?? true };
  });

  const stations = new Map<string, string>();
  const aps = new Set<string>();
  const radios = (spec.radios ?? []).map((r, n) => {
    const id = takeId(r.id, `radio-${n + 1}`);
    const ap = port(`${id} ap`, r.ap, 'radio');
    const station = port(`${id} station`, r.station, 'radio');
    if (ap.device === station.device) throw new WorldError(`${id} links device ${ap.device} to itself`);
    if (stations.has(station.key))
      throw new WorldError(
        `${id}: station [${station.device}, ${station.name}] already has ${stations.get(station.key)}`,
      );
    if (stations.has(ap.key) || aps.has(station.key))
      throw new WorldError(`${id}: an interface cannot be an AP and a station`);
    stations.set(station.key, id);
    aps.add(ap.key);
    const base = r.baseSignal ?? -58 - Math.round(unit(`${id}:base`) * 14);
    if (!Number.isFinite(base) || base > -20 || base < -100)
      throw new WorldError(`${id}: baseSignal ${base} is not a signal (dBm)`);
    return { id, ap, station, base, specUp: r.up ?? true };
  });

  const nodes = (spec.unmanaged ?? []).map((u, n) => {
    const id = takeId(u.id, `node-${n + 1}`);
    if (typeof u.identity !== 'string' || u.identity.length > 255)
      throw new WorldError(`${id}: identity must be a string`);
    checkMac(id, u.mac);
    const refs = (Array.isArray(u.attach?.[0]) ? u.attach : [u.attach]) as PortRef[];
    if (refs.length === 0) throw new WorldError(`${id}: attach to at least one port`);
    checkCount(`${id} attachments`, refs.length, WORLD_LIMITS.attachments);
    const attach = refs.map((r, i) => {
      const p = port(`${id} attachment ${i + 1}`, r, 'ether');
      plug(p, id);
      return p;
    });
    const protocols = new Set<DiscoveryProtocol>(u.protocols ?? ['lldp']);
    for (const p of protocols)
      if (!['cdp', 'lldp', 'mndp'].includes(p)) throw new WorldError(`${id}: unknown protocol ${p}`);
    const ports = attach.map((_, i) => u.ports?.[i] ?? `port${i + 1}`);
    return {
      id,
      index: n,
      spec: { ...u, mac: u.mac.toUpperCase() },
      attach,
      ports,
      bridges: u.bridges ?? attach.length > 1,
      protocols,
      specUp: u.up ?? true,
    };
  });

  const clients = (spec.clients ?? []).map((c, n) => {
    const mac = checkMac(`client ${n + 1}`, c.mac);
    const ap = port(`client ${mac}`, c.ap, 'radio');
    if (stations.has(ap.key)) throw new WorldError(`client ${mac}: [${ap.device}, ${ap.name}] is a station, not an AP`);
    aps.add(ap.key);
    const s = c.schedule;
    if (s && (!(s.periodMs > 0) || !(s.presentFraction >= 0 && s.presentFraction <= 1)))
      throw new WorldError(`client ${mac}: schedule needs periodMs > 0 and presentFraction in [0, 1]`);
    const base = c.baseSignal ?? -48 - Math.round(unit(`${mac}:base`) * 27);
    return { key: `${ap.key}>${mac}`, mac, ap, lastIp: c.lastIp, base, schedule: s };
  });

  const capsman = (spec.capsman ?? []).map((c, n) => {
    const what = `capsman ${n + 1}`;
    if (!Number.isInteger(c.manager) || c.manager < 0 || c.manager >= devices.length)
      throw new WorldError(`${what}: no device ${JSON.stringify(c.manager)} (fleet of ${devices.length})`);
    return { manager: c.manager, caps: c.caps.map((r) => port(what, r, 'radio')) };
  });

  const degrade = (spec.degrade ?? []).map((d) => {
    if (!Number.isFinite(d.dbPerHour)) throw new WorldError('degrade: dbPerHour must be a number');
    if (typeof d.target === 'string') {
      if (!radios.some((r) => r.id === d.target)) throw new WorldError(`degrade: no radio link ${d.target}`);
      return { target: d.target, dbPerHour: d.dbPerHour };
    }
    const p = port('degrade', d.target, 'radio');
    if (!aps.has(p.key)) throw new WorldError(`degrade: [${p.device}, ${p.name}] is not an AP of the world`);
    return { target: p.key, dbPerHour: d.dbPerHour };
  });

  const intervalMs = spec.discovery?.intervalMs ?? 30_000;
  const holdMs = spec.discovery?.holdMs ?? 120_000;
  if (!(intervalMs >= WORLD_LIMITS.minIntervalMs) || !(holdMs >= WORLD_LIMITS.minHoldMs))
    throw new WorldError(`discovery: intervalMs and holdMs must be at least ${WORLD_LIMITS.minIntervalMs} ms`);
  return { cables, radios, nodes, clients, capsman, degrade, intervalMs, holdMs };
}

function setProp(d: Device, p: PortItem, key: string, value: string): void {
  d.store.set(p.menu, p.item, new Map([[key, value]]));
}

/** Configure radios for the roles the world gives them, where their configuration does not already fit. */
export function applyRadioRoles(w: ResolvedWorld, devices: readonly Device[]): void {
  const item = (p: WPort) => portByName(devices[p.device] as Device, p.name) as PortItem;
  const apPorts = new Map<string, WPort>();
  for (const r of w.radios) apPorts.set(r.ap.key, r.ap);
  for (const c of w.clients) apPorts.set(c.ap.key, c.ap);
  for (const ap of apPorts.values()) {
    const d = devices[ap.device] as Device;
    const p = item(ap);
    const wifi = p.menu === '/interface/wifi';
    if (radioRole(p) !== 'ap') setProp(d, p, wifi ? 'configuration.mode' : 'mode', wifi ? 'ap' : 'ap-bridge');
    const ch = radioChannel(p);
    const ax = /ax/i.test(`${d.boardName} ${d.model}`);
    if (!ch.band) setProp(d, p, wifi ? 'channel.band' : 'band', wifi ? (ax ? '5ghz-ax' : '5ghz-ac') : '5ghz-a/n/ac');
    if (!ch.width) setProp(d, p, wifi ? 'channel.width' : 'channel-width', wifi ? '20/40/80mhz' : '20/40/80mhz-Ceee');
    if (!ch.frequency || ch.frequency === 'auto') {
      const list = [5180, 5200, 5220, 5240, 5745, 5765, 5785, 5805];
      const f = list[Math.floor(unit(`${ap.key}:freq`) * list.length)] as number;
      setProp(d, p, wifi ? 'channel.frequency' : 'frequency', String(f));
    }
  }
  for (const r of w.radios) {
    const ap = item(r.ap);
    const d = devices[r.station.device] as Device;
    const st = item(r.station);
    const wifi = st.menu === '/interface/wifi';
    const role = radioRole(st);
    if (role !== 'station' && role !== 'station-bridge') {
      const bridged = bridgeOf(d, currentName(st.item)) !== undefined;
      setProp(d, st, wifi ? 'configuration.mode' : 'mode', wifi ? 'station' : bridged ? 'station-bridge' : 'station');
    }
    const ssid = radioSsid(ap);
    if (radioSsid(st) !== ssid) setProp(d, st, wifi ? 'configuration.ssid' : 'ssid', ssid);
    const apCh = radioChannel(ap);
    const stCh = radioChannel(st);
    if (!stCh.band && apCh.band && (st.menu === ap.menu || !wifi))
      setProp(d, st, wifi ? 'channel.band' : 'band', st.menu === ap.menu ? apCh.band : '5ghz-a/n/ac');
    if (!stCh.width && apCh.width && st.menu === ap.menu)
      setProp(d, st, wifi ? 'channel.width' : 'channel-width', apCh.width);
    // A station scans for its AP: legacy wireless shows that as frequency=auto.
    if (!wifi && !stCh.frequency) setProp(d, st, 'frequency', 'auto');
  }
}

// The fleet's physical world at run time. Link state is recomputed when something changes (a cable or radio set up
// or down, a device rebooting or coming back, a port disabled, a bridge or radio reconfigured), never on a timer:
// each change is processed on its own (setImmediate) with the time it happened, so transitions carry their real
// time. From that state: which ports run, which radios are associated, and who hears whose discovery announcements
// (world-l2.ts). Neighbour entries age as RouterOS's do: an entry is refreshed by each announcement (every
// `intervalMs`, `age` counting up in between) and removed `holdMs` after the last one heard, keeping what that
// announcement said; a device that goes down (reboot, power) forgets its own table. Registrations, signal and RF
// state are computed on read from the time (world-radio.ts).
import type { Device } from './device.js';
import { type Announcement, localInterfaceName, neighborRow } from './neighbors.js';
import type { Row } from './query.js';
import type { RadioStatus } from './radio.js';
import { ConfigStore, type Item } from './store.js';
import { unit } from './values.js';
import { announceNode, announcePort } from './world-announce.js';
import {
  applyRadioRoles,
  portKey,
  type ResolvedWorld,
  resolveWorld,
  type WCable,
  type WClient,
  type WNode,
  type WPort,
  type WRadio,
} from './world-build.js';
import { type L2Input, WorldNeighbors } from './world-neighbors.js';
import {
  bindName,
  bridgeOf,
  currentName,
  findPort,
  isDisabled,
  type PortMenu,
  radioRole,
  radioSsid,
} from './world-ports.js';
import { WorldRadio } from './world-radio.js';
import type { DiscoveryProtocol, DiscoveryTiming, PortRef, WorldSpec } from './world-spec.js';
import { WORLD_LIMITS, WorldError } from './world-spec.js';
import type { ExpectedEdge, ExpectedUnmanagedEdge, FleetWorld, NeighborView, RegistrationView } from './world-types.js';
import type { PhysicalLink, RegistrationTable, WorldView } from './world-view.js';

export type { ExpectedEdge, ExpectedUnmanagedEdge, FleetWorld, NeighborView, RegistrationView } from './world-types.js';

interface PortInfo {
  port: WPort;
  cable?: WCable;
  node?: { node: WNode; attach: number };
  apRadios: WRadio[];
  staRadio?: WRadio;
  clients: WClient[];
}

interface PortState extends PhysicalLink {
  alive: boolean;
  aliveSince: number;
}

const WATCHED = new Set([
  '/interface/ethernet',
  '/interface/wireless',
  '/interface/wifi',
  '/interface/bridge',
  '/interface/bridge/port',
  '/ip/neighbor/discovery-settings',
]);
const ALL_PROTOCOLS: DiscoveryProtocol[] = ['cdp', 'lldp', 'mndp'];

export class World implements WorldView, FleetWorld {
  readonly devices: readonly Device[];
  readonly parts: ResolvedWorld;
  readonly ports = new Map<string, PortInfo>();
  readonly state = new Map<string, PortState>();
  readonly radioUp = new Map<string, number>();
  readonly radio: WorldRadio;
  private readonly cableUp = new Map<string, boolean>();
  private readonly nb: WorldNeighbors;
  private readonly sources = new Map<string, { device?: number; bind?: string; node?: WNode; attach?: number }>();
  private readonly offs: Array<() => void> = [];
  private dirtyAt: number | undefined;
  /** Devices whose ports must be re-read at the next refresh (all of them after a world-wide change). */
  private dirtyDevices = new Set<number>();
  private dirtyAll = true;
  private readonly portsOf = new Map<number, string[]>();
  private readonly alive = new Map<string, boolean>();
  private readonly inputs = new Map<string, L2Input>();
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;
  private readonly createdAt = Date.now();
  /** The first refresh: what is up then has been up since shortly after its devices booted, not since now. */
  private starting = true;

  constructor(spec: WorldSpec, devices: readonly Device[]) {
    this.devices = devices;
    this.parts = resolveWorld(spec, devices);
    applyRadioRoles(this.parts, devices);
    const info = (p: WPort): PortInfo => {
      let i = this.ports.get(p.key);
      if (!i) {
        i = { port: p, apRadios: [], clients: [] };
        this.ports.set(p.key, i);
        this.sources.set(p.key, { device: p.device, bind: p.bind });
      }
      return i;
    };
    for (const c of this.parts.cables) {
      info(c.a).cable = c;
      info(c.b).cable = c;
    }
    for (const n of this.parts.nodes) {
      n.attach.forEach((p, i) => {
        info(p).node = { node: n, attach: i };
        this.sources.set(`u${n.index}:${i}`, { node: n, attach: i });
      });
    }
    for (const r of this.parts.radios) {
      info(r.ap).apRadios.push(r);
      info(r.station).staRadio = r;
    }
    for (const c of this.parts.clients) info(c.ap).clients.push(c);
    for (const p of this.parts.capsman) for (const c of p.caps) info(c);
    this.radio = new WorldRadio(this);
    const l2Ports = [
      ...[...this.ports.values()].map((i) => ({ key: i.port.key, device: i.port.device as number | undefined })),
      ...this.parts.nodes.flatMap((n) => n.attach.map((_, i) => ({ key: `u${n.index}:${i}`, device: undefined }))),
    ];
    this.nb = new WorldNeighbors(
      {
        announce: (key, at) => this.announce(key, at),
        localInterface: (device, key) => this.localInterface(device, key),
        since: (at, key, devs) => this.since(at, key, devs),
        powered: (i) => this.powered(i),
        device: (i) => this.devices[i],
      },
      l2Ports,
      this.parts.intervalMs,
      this.parts.holdMs,
    );
    for (const d of this.parts.degrade) this.radio.setDegrade(d.target, d.dbPerHour, Date.now());
    const worldDevices = new Set([...this.ports.values()].map((i) => i.port.device));
    for (const p of this.parts.capsman) worldDevices.add(p.manager);
    for (const d of devices) {
      d.world = this;
      if (!worldDevices.has(d.index)) continue;
      this.offs.push(d.onState(() => this.markDirty([d.index])));
      this.offs.push(d.store.onChange((path) => WATCHED.has(path) && this.markDirty([d.index])));
    }
    for (const info of this.ports.values()) {
      const list = this.portsOf.get(info.port.device) ?? [];
      list.push(info.port.key);
      this.portsOf.set(info.port.device, list);
    }
    this.dirtyAt = Date.now();
    this.flush();
    this.starting = false;
  }

  /** When something up at start came up: a little after the later of its devices booted (seeded), never after `at`. */
  private since(at: number, key: string, devices: number[]): number {
    if (!this.starting) return at;
    const booted = Math.max(...devices.map((i) => (this.devices[i] as Device).bootAt));
    return Math.min(at, booted + 2000 + Math.floor(unit(`${key}:since`) * 30_000));
  }

  stop(): void {
    this.stopped = true;
    if (this.immediate) clearImmediate(this.immediate);
    for (const off of this.offs) off();
  }

  // --- change processing -------------------------------------------------------------------------------------

  /** Something changed on these devices (all devices when not given): refresh soon, from this moment. */
  markDirty(devices?: number[]): void {
    if (this.stopped) return;
    if (devices) for (const d of devices) this.dirtyDevices.add(d);
    else this.dirtyAll = true;
    this.dirtyAt ??= Date.now();
    this.immediate ??= setImmediate(() => {
      this.immediate = undefined;
      this.flush();
    });
  }

  /** Process pending changes now (reads call this first). */
  flush(): void {
    if (this.dirtyAt === undefined) return;
    const at = this.dirtyAt;
    this.dirtyAt = undefined;
    this.refresh(at);
  }

  powered(index: number): boolean {
    return this.devices[index]?.poweredOn ?? false;
  }

  /** The port's interface item now, when its device is up and the interface exists and is enabled. */
  aliveItem(p: WPort): { menu: PortMenu; item: Item } | undefined {
    if (!this.powered(p.device)) return undefined;
    const found = findPort(this.devices[p.device] as Device, p.bind);
    return found && !isDisabled(found.item) ? found : undefined;
  }

  private radioLinkUp(r: WRadio): boolean {
    if (!r.specUp) return false;
    const ap = this.aliveItem(r.ap);
    const st = this.aliveItem(r.station);
    if (!ap || !st) return false;
    const stRole = radioRole(st);
    return (
      radioRole(ap) === 'ap' && (stRole === 'station' || stRole === 'station-bridge') && radioSsid(ap) === radioSsid(st)
    );
  }

  private protocolsOf(index: number): Set<DiscoveryProtocol> {
    const d = this.devices[index] as Device;
    if (!d.behaviour.v7) return new Set(ALL_PROTOCOLS);
    const item = d.store.menu('/ip/neighbor/discovery-settings', false)?.items[0];
    const text = item ? ConfigStore.get(item, 'protocol') : undefined;
    if (text === undefined) return new Set(ALL_PROTOCOLS);
    return new Set(text.split(',').filter((p): p is DiscoveryProtocol => (ALL_PROTOCOLS as string[]).includes(p)));
  }

  private refresh(at: number): void {
    const all = this.dirtyAll;
    const devices = this.dirtyDevices;
    this.dirtyAll = false;
    this.dirtyDevices = new Set();
    const touched = all ? [...this.ports.keys()] : [...devices].flatMap((d) => this.portsOf.get(d) ?? []);
    for (const key of touched)
      this.alive.set(key, this.aliveItem((this.ports.get(key) as PortInfo).port) !== undefined);
    const isAlive = (key: string) => !!this.alive.get(key);
    const nodeUp = (n: WNode, i: number) => n.specUp && isAlive((n.attach[i] as WPort).key);

    // Links at the touched ports, and every port whose state follows them.
    const recompute = new Set<string>(touched);
    const nodes = new Set<WNode>();
    for (const key of touched) {
      const i = this.ports.get(key) as PortInfo;
      if (i.cable) {
        const c = i.cable;
        this.cableUp.set(c.id, c.specUp && isAlive(c.a.key) && isAlive(c.b.key));
        recompute.add(c.a.key).add(c.b.key);
      }
      if (i.node) nodes.add(i.node.node);
      for (const r of [...i.apRadios, ...(i.staRadio ? [i.staRadio] : [])]) {
        const up = this.radioLinkUp(r);
        if (up && !this.radioUp.has(r.id))
          this.radioUp.set(r.id, this.since(at, r.id, [r.ap.device, r.station.device]));
        else if (!up) this.radioUp.delete(r.id);
        recompute.add(r.ap.key).add(r.station.key);
      }
    }
    for (const key of recompute) {
      const i = this.ports.get(key) as PortInfo;
      let running = false;
      if (i.cable) running = !!this.cableUp.get(i.cable.id);
      else if (i.node) running = nodeUp(i.node.node, i.node.attach);
      else if (i.staRadio) running = this.radioUp.has(i.staRadio.id);
      else running = isAlive(key);
      const s = this.state.get(key) ?? { running: false, downs: 0, upSince: 0, alive: false, aliveSince: 0 };
      if (s.running && !running) s.downs++;
      if (!s.running && running) s.upSince = this.since(at, key, this.linkDevices(i));
      if (!running) s.upSince = 0;
      s.running = running;
      if (isAlive(key) && !s.alive) s.aliveSince = this.since(at, key, [i.port.device]);
      s.alive = isAlive(key);
      // A device that went down starts counting link-downs afresh, as RouterOS does after a boot.
      if (!this.powered(i.port.device)) s.downs = 0;
      this.state.set(key, s);
      this.inputs.set(key, this.l2Input(key, i, nodeUp));
    }
    for (const n of all ? this.parts.nodes : nodes) {
      n.attach.forEach((p, i) => {
        const up = nodeUp(n, i);
        const key = `u${n.index}:${i}`;
        this.inputs.set(key, {
          key,
          device: undefined,
          alive: up,
          peers: up ? [p.key] : [],
          unit: n.bridges ? `U${n.index}` : undefined,
          relays: false,
          protocols: n.protocols,
        });
      });
    }
    // Layer 2: who hears whom (world-neighbors.ts floods the domains this change touched).
    this.nb.update(at, [...this.inputs.values()]);
  }

  /** A port's place in the layer-2 graph now. */
  private l2Input(key: string, i: PortInfo, nodeUp: (n: WNode, i: number) => boolean): L2Input {
    const found = this.alive.get(key) ? this.aliveItem(i.port) : undefined;
    if (!found)
      return {
        key,
        device: i.port.device,
        alive: false,
        peers: [],
        unit: undefined,
        relays: false,
        protocols: new Set(),
      };
    const d = this.devices[i.port.device] as Device;
    const peers: string[] = [];
    if (i.cable && this.cableUp.get(i.cable.id)) peers.push((i.cable.a.key === key ? i.cable.b : i.cable.a).key);
    if (i.node && nodeUp(i.node.node, i.node.attach)) peers.push(`u${i.node.node.index}:${i.node.attach}`);
    for (const r of i.apRadios) if (this.radioUp.has(r.id)) peers.push(r.station.key);
    if (i.staRadio && this.radioUp.has(i.staRadio.id)) peers.push(i.staRadio.ap.key);
    const role = found.menu === '/interface/ethernet' ? undefined : radioRole(found);
    const bridge = bridgeOf(d, currentName(found.item));
    // A plain station cannot bridge frames of others across its link (station-bridge can).
    const forwards = bridge !== undefined && role !== 'station';
    return {
      key,
      device: i.port.device,
      alive: true,
      peers,
      unit: forwards ? `b${i.port.device}:${bridge}` : undefined,
      relays: role === 'ap',
      protocols: this.protocolsOf(i.port.device),
    };
  }

  /** The devices at the ends of a port's link. */
  private linkDevices(i: PortInfo): number[] {
    const out = [i.port.device];
    if (i.cable) out.push(i.cable.a.device, i.cable.b.device);
    if (i.staRadio) out.push(i.staRadio.ap.device);
    return out;
  }

  // --- what announcements say ---------------------------------------------------------------------------------

  private announce(from: string, at: number): Announcement | undefined {
    const src = this.sources.get(from);
    if (src?.node) return announceNode(src.node, src.attach ?? 0, at - this.createdAt);
    if (src?.device === undefined || src.bind === undefined) return undefined;
    return announcePort(this.devices[src.device] as Device, src.bind, at);
  }

  /** The local port as `/ip/neighbor` shows it (`ether2,bridge`). */
  private localInterface(device: number, key: string): { port: string; shown: string } | undefined {
    const d = this.devices[device];
    const info = this.ports.get(key);
    const found = d && info ? findPort(d, info.port.bind) : undefined;
    if (!d || !found) return undefined;
    const name = currentName(found.item);
    return { port: name, shown: localInterfaceName(d.version, name, bridgeOf(d, name)) };
  }

  // --- WorldView ------------------------------------------------------------------------------------------------

  neighborRows(device: Device, now: number): Row[] {
    this.flush();
    return this.nb.entries(device.index, now).map((e) => neighborRow(e.entry, device.version));
  }

  portLink(device: Device, menu: PortMenu, item: Item, now: number): PhysicalLink | undefined {
    this.flush();
    const info = this.ports.get(portKey(device.index, bindName(item)));
    if (!info) return undefined;
    const s = this.state.get(info.port.key);
    if (!s) return undefined;
    if (menu !== '/interface/ethernet' && !info.staRadio) return this.radio.apLink(info, s, now);
    return { running: s.running, downs: s.downs, upSince: s.upSince };
  }

  registrationRows(device: Device, table: RegistrationTable, now: number): { rows: Row[]; replaces: Set<string> } {
    this.flush();
    return this.radio.rows(device, table, now);
  }

  radioStatus(device: Device, menu: PortMenu, item: Item, now: number): RadioStatus | undefined {
    this.flush();
    return this.radio.status(device, menu, item, now);
  }

  // --- FleetWorld -------------------------------------------------------------------------------------------------

  private ref(p: WPort): PortRef {
    return [p.device, p.name];
  }

  get cables() {
    this.flush();
    return this.parts.cables.map((c) => ({
      id: c.id,
      a: this.ref(c.a),
      b: this.ref(c.b),
      up: !!this.cableUp.get(c.id),
    }));
  }

  get radios() {
    this.flush();
    return this.parts.radios.map((r) => ({
      id: r.id,
      ap: this.ref(r.ap),
      station: this.ref(r.station),
      up: this.radioUp.has(r.id),
      baseSignal: r.base,
    }));
  }

  get unmanaged() {
    return this.parts.nodes.map((n) => ({
      id: n.id,
      identity: n.spec.identity,
      mac: n.spec.mac,
      attach: n.attach.map((p) => this.ref(p)),
      up: n.specUp,
    }));
  }

  get clients() {
    this.flush();
    const now = Date.now();
    return this.parts.clients.map((c) => ({
      mac: c.mac,
      ap: this.ref(c.ap),
      present: this.radio.clientSince(c, now) !== undefined,
    }));
  }

  private find<T extends { id: string }>(list: T[], id: string, what: string): T {
    const found = list.find((x) => x.id === id);
    if (!found) throw new WorldError(`no ${what} ${JSON.stringify(id)}`);
    return found;
  }

  setCable(id: string, up: boolean): void {
    const c = this.find(this.parts.cables, id, 'cable');
    c.specUp = up;
    this.markDirty([c.a.device, c.b.device]);
    this.flush();
  }

  setRadio(id: string, up: boolean): void {
    const r = this.find(this.parts.radios, id, 'radio link');
    r.specUp = up;
    this.markDirty([r.ap.device, r.station.device]);
    this.flush();
  }

  setUnmanaged(id: string, up: boolean): void {
    const n = this.find(this.parts.nodes, id, 'unmanaged node');
    n.specUp = up;
    this.markDirty(n.attach.map((p) => p.device));
    this.flush();
  }

  degrade(target: string | PortRef, dbPerHour: number): void {
    if (!Number.isFinite(dbPerHour)) throw new WorldError('degrade: dbPerHour must be a number');
    let key: string;
    if (typeof target === 'string') key = this.find(this.parts.radios, target, 'radio link').id;
    else {
      const [device, name] = target;
      const info = [...this.ports.values()].find((i) => i.port.device === device && i.port.name === name);
      if (!info || (info.apRadios.length === 0 && info.clients.length === 0))
        throw new WorldError(`degrade: [${device}, ${name}] is not an AP of the world`);
      key = info.port.key;
    }
    this.radio.setDegrade(key, dbPerHour, Date.now());
  }

  setDiscovery(t: DiscoveryTiming): void {
    const intervalMs = t.intervalMs ?? this.parts.intervalMs;
    const holdMs = t.holdMs ?? this.parts.holdMs;
    if (!(intervalMs >= WORLD_LIMITS.minIntervalMs) || !(holdMs >= WORLD_LIMITS.minHoldMs))
      throw new WorldError(`discovery: intervalMs and holdMs must be at least ${WORLD_LIMITS.minIntervalMs} ms`);
    this.parts.intervalMs = intervalMs;
    this.parts.holdMs = holdMs;
    this.nb.intervalMs = intervalMs;
    this.nb.holdMs = holdMs;
  }

  expectedEdges(): ExpectedEdge[] {
    this.flush();
    const edges = new Map<string, ExpectedEdge>();
    const add = (x: number, y: number, kind: 'cable' | 'radio', id: string, up: boolean) => {
      const [a, b] = x < y ? [x, y] : [y, x];
      const k = `${a}-${b}`;
      const e = edges.get(k) ?? { a, b, kinds: [], links: [], up: false };
      if (!e.kinds.includes(kind)) e.kinds.push(kind);
      e.links.push(id);
      e.up ||= up;
      edges.set(k, e);
    };
    for (const c of this.parts.cables) add(c.a.device, c.b.device, 'cable', c.id, !!this.cableUp.get(c.id));
    for (const r of this.parts.radios) add(r.ap.device, r.station.device, 'radio', r.id, this.radioUp.has(r.id));
    return [...edges.values()].sort((x, y) => x.a - y.a || x.b - y.b);
  }

  expectedUnmanaged(): ExpectedUnmanagedEdge[] {
    this.flush();
    return this.parts.nodes.flatMap((n) =>
      n.attach.map((p) => ({
        node: n.id,
        identity: n.spec.identity,
        mac: n.spec.mac,
        device: p.device,
        port: p.name,
        up: !!this.state.get(p.key)?.running,
      })),
    );
  }

  neighbors(index: number): NeighborView[] {
    this.flush();
    return this.nb.entries(index, Date.now()).map((e) => {
      const src = this.sources.get(e.from);
      const from =
        src?.node !== undefined
          ? { node: src.node.id }
          : { device: src?.device ?? -1, port: this.ports.get(e.from)?.port.name ?? '' };
      return {
        port: this.nb.portName(index, e.port),
        interface: e.entry.localInterface,
        mac: e.entry.announcement.mac,
        identity: e.entry.announcement.identity,
        interfaceName: e.entry.announcement.interfaceName,
        protocols: e.entry.protocols,
        adjacent: e.adjacent,
        held: e.held,
        from,
      };
    });
  }

  registrations(index: number): RegistrationView[] {
    this.flush();
    const d = this.devices[index];
    return d ? this.radio.views(d, Date.now()) : [];
  }

  signal(radioId: string): { uplink: number; downlink: number } {
    const r = this.find(this.parts.radios, radioId, 'radio link');
    return this.radio.linkSignal(r, Date.now());
  }
}

// Neighbour tables of a world's devices, kept as RouterOS keeps them: an entry per (local port, announcing port),
// refreshed by every announcement (every `intervalMs`, `age` counting up in between), removed `holdMs` after the
// last one heard and showing what that announcement said until then; a device that goes down forgets its table.
// After a change only the layer-2 domains it touched are flooded again (world-l2.ts), so a reboot in a bridged
// tower of hundreds of CPEs costs that tower, not the fleet.
import type { Device } from './device.js';
import type { Announcement, NeighborEntry } from './neighbors.js';
import { unit } from './values.js';
import { componentsOf, emptyGraph, FloodScratch, flood, type L2Graph, P_CDP, P_LLDP, P_MNDP } from './world-l2.js';
import type { DiscoveryProtocol } from './world-spec.js';

/** One port's place in the layer-2 graph, as the world computed it for this change. */
export interface L2Input {
  key: string;
  /** Fleet device, or undefined for an unmanaged node's port. */
  device: number | undefined;
  alive: boolean;
  /** Keys of the ports across its up links. */
  peers: string[];
  /** The bridge or switch it floods into. */
  unit: string | undefined;
  relays: boolean;
  protocols: ReadonlySet<DiscoveryProtocol>;
}

interface NeighborRecord {
  id: number;
  from: number;
  mask: number;
  adjacent: boolean;
  since: number;
  lostAt: number | undefined;
  snapshot: Announcement | undefined;
}

export interface NeighborSource {
  /** What the port `key` announces at time `at`. */
  announce(key: string, at: number): Announcement | undefined;
  /** The local interface as the receiver shows it (`ether2,bridge`), or undefined if the port is gone. */
  localInterface(device: number, key: string): { port: string; shown: string } | undefined;
  /** When something up at the first refresh came up (shortly after its devices booted). */
  since(at: number, key: string, devices: number[]): number;
  powered(device: number): boolean;
  device(index: number): Device | undefined;
}

/** Arrivals one refresh may spend flooding (RouterOS caps its table too: tableLimit). */
const FLOOD_BUDGET = 50_000_000;

const maskOf = (p: ReadonlySet<DiscoveryProtocol>) =>
  (p.has('cdp') ? P_CDP : 0) | (p.has('lldp') ? P_LLDP : 0) | (p.has('mndp') ? P_MNDP : 0);
const protocolsOf = (mask: number): DiscoveryProtocol[] =>
  [
    mask & P_CDP ? ('cdp' as const) : undefined,
    mask & P_LLDP ? ('lldp' as const) : undefined,
    mask & P_MNDP ? ('mndp' as const) : undefined,
  ].filter((p): p is DiscoveryProtocol => p !== undefined);

export interface HeldEntry {
  port: number;
  entry: NeighborEntry;
  from: string;
  adjacent: boolean;
  held: boolean;
}

export class WorldNeighbors {
  private readonly src: NeighborSource;
  private readonly keys: string[];
  private readonly slot = new Map<string, number>();
  private readonly owner: Int32Array;
  private readonly devicePorts = new Map<number, number[]>();
  private readonly records: Array<Map<number, NeighborRecord>>;
  private readonly phase: Float64Array;
  private readonly ids = new Map<number, number>();
  private sig: string[] = [];
  private comp: Int32Array | undefined;
  intervalMs: number;
  holdMs: number;

  constructor(
    src: NeighborSource,
    ports: Array<{ key: string; device: number | undefined }>,
    intervalMs: number,
    holdMs: number,
  ) {
    this.src = src;
    this.intervalMs = intervalMs;
    this.holdMs = holdMs;
    this.keys = ports.map((p) => p.key);
    this.owner = new Int32Array(ports.length).fill(-1);
    ports.forEach((p, i) => {
      this.slot.set(p.key, i);
      if (p.device === undefined) return;
      this.owner[i] = p.device;
      this.devicePorts.set(p.device, [...(this.devicePorts.get(p.device) ?? []), i]);
    });
    this.records = ports.map(() => new Map());
    this.phase = Float64Array.from(ports, (p) => unit(`${p.key}:announce`));
  }

  /** RouterOS keeps (total RAM in MB) × 16 entries per interface (6.45+). */
  private tableLimit(index: number): number {
    const mem = this.src.device(index)?.spec.totalMemory ?? 134_217_728;
    return Math.max(16, Math.floor(mem / 1_048_576) * 16);
  }

  /** When the last announcement from `rec.from` before `t` was heard: on its schedule, not before the entry began. */
  private lastAnnouncement(rec: NeighborRecord, t: number): number {
    const interval = this.intervalMs;
    const phase = Math.floor((this.phase[rec.from] as number) * interval);
    const last = phase + Math.floor((t - phase) / interval) * interval;
    return Math.max(rec.since, Math.min(t, last));
  }

  private expired(rec: NeighborRecord, now: number): boolean {
    return rec.lostAt !== undefined && now - this.lastAnnouncement(rec, rec.lostAt) > this.holdMs;
  }

  /** Apply the graph of this change, at time `at`: flood the domains it touched, age what they lost. */
  update(at: number, inputs: L2Input[]): void {
    const n = this.keys.length;
    const g: L2Graph = emptyGraph(n);
    const units = new Map<string, number>();
    const sig = new Array<string>(n).fill('');
    for (const input of inputs) {
      const p = this.slot.get(input.key);
      if (p === undefined || !input.alive) continue;
      g.device[p] = input.device ?? -1;
      g.proto[p] = maskOf(input.protocols);
      g.relays[p] = input.relays ? 1 : 0;
      g.peers[p] = input.peers.map((k) => this.slot.get(k)).filter((q): q is number => q !== undefined);
      if (input.unit !== undefined) {
        let u = units.get(input.unit);
        if (u === undefined) {
          u = g.members.length;
          units.set(input.unit, u);
          g.members.push([]);
        }
        g.unit[p] = u;
        (g.members[u] as number[]).push(p);
      }
      sig[p] = `${input.unit ?? ''}|${g.peers[p].join(',')}|${g.proto[p]}|${g.relays[p]}`;
    }
    const comp = componentsOf(g);
    const old = this.comp;
    const newTouched = new Set<number>();
    const oldTouched = new Set<number>();
    for (let p = 0; p < n; p++) {
      if (sig[p] === this.sig[p] && old) continue;
      newTouched.add(comp[p] as number);
      if (old) oldTouched.add(old[p] as number);
    }
    // Units of a touched component whose membership changed are caught by the ports' signatures.
    const affected: number[] = [];
    for (let p = 0; p < n; p++)
      if (newTouched.has(comp[p] as number) || (old && oldTouched.has(old[p] as number))) affected.push(p);
    this.sig = sig;
    this.comp = comp;
    if (affected.length === 0) return;

    const heard = new Map<number, Map<number, number>>();
    const scratch = new FloodScratch(n, g.members.length);
    let budget = FLOOD_BUDGET;
    // Every port of a touched domain, old or new, floods again (a domain split by the change loses its far side).
    for (const from of affected) {
      if (g.proto[from] === 0) continue;
      budget -= flood(
        g,
        from,
        scratch,
        (at, mask) => {
          let row = heard.get(at);
          if (!row) {
            row = new Map();
            heard.set(at, row);
          }
          row.set(from, (row.get(from) ?? 0) | mask);
        },
        budget,
      );
      if (budget <= 0) break;
    }

    for (const p of affected) {
      const device = this.owner[p] as number;
      if (device === -1) continue;
      const recs = this.records[p] as Map<number, NeighborRecord>;
      if (!this.src.powered(device)) {
        recs.clear();
        continue;
      }
      const now = heard.get(p);
      for (const [from, rec] of recs) {
        if (now?.has(from)) continue;
        if (rec.lostAt === undefined) {
          rec.lostAt = at;
          rec.snapshot = this.src.announce(this.keys[from] as string, this.lastAnnouncement(rec, at));
        } else if (this.expired(rec, at)) recs.delete(from);
      }
      if (!now) continue;
      const limit = this.tableLimit(device);
      const peers = g.peers[p] as number[];
      for (const [from, mask] of now) {
        const had = recs.get(from);
        const adjacent = peers.includes(from);
        if (had && !this.expired(had, at)) {
          if (had.lostAt !== undefined) had.since = at;
          had.lostAt = undefined;
          had.snapshot = undefined;
          had.mask = mask;
          had.adjacent = adjacent;
          continue;
        }
        if (had) recs.delete(from);
        if (recs.size >= limit) continue;
        const id = (this.ids.get(device) ?? 0) + 1;
        this.ids.set(device, id);
        const other = this.owner[from] as number;
        const since = this.src.since(
          at,
          `${this.keys[p]}>${this.keys[from]}`,
          other === -1 ? [device] : [device, other],
        );
        recs.set(from, { id, from, mask, adjacent, since, lostAt: undefined, snapshot: undefined });
      }
    }
  }

  /** Device `index`'s table at `now`, ordered by id; expired entries are dropped on the way. */
  entries(index: number, now: number): HeldEntry[] {
    const out: Array<HeldEntry & { id: number }> = [];
    for (const p of this.devicePorts.get(index) ?? []) {
      const recs = this.records[p] as Map<number, NeighborRecord>;
      if (recs.size === 0) continue;
      const local = this.src.localInterface(index, this.keys[p] as string);
      for (const [from, rec] of recs) {
        if (this.expired(rec, now)) {
          recs.delete(from);
          continue;
        }
        const last = this.lastAnnouncement(rec, rec.lostAt ?? now);
        const ann = rec.snapshot ?? this.src.announce(this.keys[from] as string, last);
        if (!ann || !local) continue;
        out.push({
          id: rec.id,
          port: p,
          from: this.keys[from] as string,
          adjacent: rec.adjacent,
          held: rec.lostAt !== undefined,
          entry: {
            id: rec.id,
            localInterface: local.shown,
            protocols: protocolsOf(rec.mask),
            announcement: ann,
            ageMs: Math.max(0, now - last),
          },
        });
      }
    }
    return out.sort((a, b) => a.id - b.id);
  }

  portName(index: number, port: number): string {
    return this.src.localInterface(index, this.keys[port] as string)?.port ?? (this.keys[port] as string);
  }
}

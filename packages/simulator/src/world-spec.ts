// What a fleet's physical world is made of: ethernet cables between ports, radio links between an access point's
// wireless interface and a station's, equipment TOD does not manage (a vendor switch speaking LLDP, an unmanaged
// MikroTik), phones and laptops on access points, CAPsMAN managers, and sectors whose signal degrades. Everything the
// devices report about their surroundings (`/ip/neighbor`, registration tables, RF monitor, `running`) derives from
// this (world.ts). Ports are `[deviceIndex, interfaceName]` as the device names them at start.

/** A port of a fleet device: its index in the fleet and its interface name at start (`ether2`, `wlan1`, `wifi1`). */
export type PortRef = readonly [device: number, port: string];

/** The discovery protocols RouterOS speaks (`/ip neighbor discovery-settings protocol=`). */
export type DiscoveryProtocol = 'cdp' | 'lldp' | 'mndp';

export interface CableSpec {
  /** Stable id (default `cable-<n>`), for `world.setCable(id, up)`. */
  id?: string;
  a: PortRef;
  b: PortRef;
  /** Plugged in at start. Default true. */
  up?: boolean;
}

export interface RadioLinkSpec {
  /** Stable id (default `radio-<n>`), for `world.setRadio(id, up)` and `world.degrade(id, …)`. */
  id?: string;
  /** The access point's wireless interface (set to `ap-bridge` / wifi `ap` at start if it is not an AP). */
  ap: PortRef;
  /** The station's wireless interface (set to `station-bridge` when bridged, else `station`; wifi `station`). */
  station: PortRef;
  /** Mean signal (dBm) the station is heard with. Default: seeded between -58 and -72. */
  baseSignal?: number;
  /** In range at start. Default true. */
  up?: boolean;
}

export interface UnmanagedNodeSpec {
  /** Stable id (default `node-<n>`), for `world.setUnmanaged(id, up)`. */
  id?: string;
  /** System name / identity it announces. */
  identity: string;
  /** Its chassis MAC address (`AA:BB:CC:00:11:22`). */
  mac: string;
  /** Management address it announces. */
  address?: string;
  /** `platform`: `MikroTik` for a MikroTik TOD does not manage, the vendor otherwise. Default `MikroTik` when it speaks MNDP. */
  platform?: string;
  /** Software version it announces (`15.2(7)E4`, `6.49.10 (stable)`). */
  version?: string;
  board?: string;
  /** LLDP system description. Default: platform and version. */
  description?: string;
  /** Capabilities it announces (`bridge,router`). Default `bridge`. */
  systemCaps?: string;
  /** Protocols it speaks. Default `['lldp']`. An unmanaged MikroTik speaks `['cdp', 'lldp', 'mndp']`. */
  protocols?: DiscoveryProtocol[];
  /** Fleet ports it is cabled to. */
  attach: PortRef | PortRef[];
  /** Its own port names, one per attachment. Default `port1`, `port2`, … */
  ports?: string[];
  /** A switch between its ports (MNDP and other broadcasts pass through). Default: true with several attachments. */
  bridges?: boolean;
  /** Powered at start. Default true. */
  up?: boolean;
}

/** When an unmanaged client is associated: present for `presentFraction` of every `periodMs` (phase seeded). */
export interface ClientSchedule {
  periodMs: number;
  presentFraction: number;
  /** Offset into the period (ms). Default: seeded from the MAC. */
  phaseMs?: number;
}

export interface WirelessClientSpec {
  /** Its MAC address (phones often use a random, locally administered one). */
  mac: string;
  /** The access point interface it associates with. */
  ap: PortRef;
  /** The address the AP learnt for it (`last-ip`). */
  lastIp?: string;
  /** Mean signal (dBm). Default: seeded between -48 and -75. */
  baseSignal?: number;
  /** Comes and goes on a schedule; always there without one. */
  schedule?: ClientSchedule;
}

export interface DegradeSpec {
  /** A radio link id, or an AP interface (the whole sector: its stations and clients). */
  target: string | PortRef;
  /** How fast the signal falls (dB per hour). */
  dbPerHour: number;
}

export interface CapsmanSpec {
  /** The CAPsMAN manager. */
  manager: number;
  /** AP interfaces it manages (their registrations appear on the manager). */
  caps: PortRef[];
}

/** Neighbour discovery timing (RouterOS: announcements every 30 s, entries kept 120 s after the last one heard). */
export interface DiscoveryTiming {
  /** Announcement interval: `age` counts up to it and starts again. Default 30000. */
  intervalMs?: number;
  /** How long an entry stays after the last announcement heard. Default 120000. */
  holdMs?: number;
}

export interface WorldSpec {
  cables?: CableSpec[];
  radios?: RadioLinkSpec[];
  unmanaged?: UnmanagedNodeSpec[];
  clients?: WirelessClientSpec[];
  capsman?: CapsmanSpec[];
  degrade?: DegradeSpec[];
  discovery?: DiscoveryTiming;
}

/** `startFleet({ topology })`: a daisy chain of cables, nothing, or an explicit world. */
export type Topology = 'chain' | 'none' | WorldSpec;

/** A spec error: names what is wrong (an unknown device or port, a port used twice). */
export class WorldError extends Error {
  override readonly name = 'WorldError';
}

/** Bounds, so a hostile or mistaken spec cannot make the simulator unbounded. */
export const WORLD_LIMITS = {
  links: 200_000,
  unmanaged: 50_000,
  clients: 200_000,
  /** Attachments of one unmanaged node. */
  attachments: 512,
  minIntervalMs: 10,
  minHoldMs: 10,
} as const;

export const MAC_RE = /^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/;

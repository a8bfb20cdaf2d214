// What a fleet's world tells tests and tools (`fleet.world`): its links, what the devices' tables should hold, and
// the handles that change it at run time.
import type { DiscoveryProtocol, DiscoveryTiming, PortRef } from './world-spec.js';
import type { RegistrationTable } from './world-view.js';

export interface ExpectedEdge {
  /** Device indexes, a < b. */
  a: number;
  b: number;
  kinds: Array<'cable' | 'radio'>;
  /** Ids of the cables and radio links between them. */
  links: string[];
  /** Some link between them is up now. */
  up: boolean;
}

export interface ExpectedUnmanagedEdge {
  node: string;
  identity: string;
  mac: string;
  device: number;
  port: string;
  up: boolean;
}

/** An entry of a device's neighbour table, with where it came from. */
export interface NeighborView {
  /** The local port (its current name) and the interface as `/ip/neighbor` shows it (`ether2,bridge`). */
  port: string;
  interface: string;
  mac: string;
  identity: string;
  interfaceName: string;
  protocols: DiscoveryProtocol[];
  /** Heard straight across the link (not relayed by a bridge, AP or switch). */
  adjacent: boolean;
  /** Aging: the link went away, the entry has not been removed yet. */
  held: boolean;
  from: { device: number; port: string } | { node: string };
}

export interface RegistrationView {
  table: RegistrationTable;
  interface: string;
  mac: string;
  /** The row is on the station, about its AP. */
  ap: boolean;
  peer: { device: number; port: string } | { client: string };
  signal: number;
  radio?: string;
}

export interface FleetWorld {
  readonly cables: ReadonlyArray<{ id: string; a: PortRef; b: PortRef; up: boolean }>;
  readonly radios: ReadonlyArray<{ id: string; ap: PortRef; station: PortRef; up: boolean; baseSignal: number }>;
  readonly unmanaged: ReadonlyArray<{ id: string; identity: string; mac: string; attach: PortRef[]; up: boolean }>;
  readonly clients: ReadonlyArray<{ mac: string; ap: PortRef; present: boolean }>;
  /** Plug a cable in or pull it out. */
  setCable(id: string, up: boolean): void;
  /** Bring a radio link into range or take it out (a station losing its AP). */
  setRadio(id: string, up: boolean): void;
  /** Power an unmanaged node on or off. */
  setUnmanaged(id: string, up: boolean): void;
  /** Make a radio link or a whole sector (`[apDevice, apInterface]`) lose `dbPerHour` from now on (0 stops it). */
  degrade(target: string | PortRef, dbPerHour: number): void;
  /** Discovery timing: announcement interval and hold time (ms). */
  setDiscovery(t: DiscoveryTiming): void;
  /** The managed-device pairs the world links (cables and radio links), whether up or not now. */
  expectedEdges(): ExpectedEdge[];
  /** Unmanaged nodes and the fleet ports they are cabled to. */
  expectedUnmanaged(): ExpectedUnmanagedEdge[];
  /** What device `index`'s `/ip/neighbor` holds now. */
  neighbors(index: number): NeighborView[];
  /** What device `index`'s registration tables hold now. */
  registrations(index: number): RegistrationView[];
  /** The signal of a radio link now: the AP hears the station (uplink), the station hears the AP (downlink). */
  signal(radioId: string): { uplink: number; downlink: number };
}

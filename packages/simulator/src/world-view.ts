// What a device and its commands ask the fleet's world (world.ts): is this port's link up, what its neighbour and
// registration tables hold, what its radios are doing. A device outside any world (`topology: 'none'`, a lone
// `new Device`) has none: no neighbours, ports linked by `traffic.linkedPorts`, wireless as generated.
import type { Device } from './device.js';
import type { Row } from './query.js';
import type { RadioStatus } from './radio.js';
import type { Item } from './store.js';
import type { PortMenu } from './world-ports.js';

export interface PhysicalLink {
  running: boolean;
  /** Link-downs since the device booted. */
  downs: number;
  /** When the link last came up (ms), 0 while down. */
  upSince: number;
}

export type RegistrationTable = 'wireless' | 'wifi' | 'capsman';

export interface WorldView {
  /** The port's physical link, or undefined when the world has no cable, attachment or radio on it. */
  portLink(device: Device, menu: PortMenu, item: Item, now: number): PhysicalLink | undefined;
  /** `/ip/neighbor` rows. */
  neighborRows(device: Device, now: number): Row[];
  /** Registration rows the world adds to a table, and the local interfaces whose generated entries it replaces. */
  registrationRows(device: Device, table: RegistrationTable, now: number): { rows: Row[]; replaces: Set<string> };
  /** A wireless interface's state for its monitor, or undefined when the world does not drive it. */
  radioStatus(device: Device, menu: PortMenu, item: Item, now: number): RadioStatus | undefined;
}

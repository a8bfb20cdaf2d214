// `/ip/neighbor` rows as RouterOS prints them over the API, from what a neighbour announced and which protocols
// carried it. Field order and presence follow real replies (6.48, 6.49, 7.15): MNDP brings identity, version,
// board, software id, uptime and the sending interface (`bridge1/sfp1` for a bridge port); LLDP/CDP bring the
// system description and capabilities (empty without them); `discovered-by` exists from 7.7; the local `interface`
// names the bridge after the port (`ether2,bridge`) from 6.44, when discovery started running on bridge ports.
import type { Row } from './query.js';
import { formatDuration, formatId } from './values.js';
import { atLeast, type Version } from './version.js';
import type { DiscoveryProtocol } from './world-spec.js';

/** What a neighbour puts in its announcements on one port. */
export interface Announcement {
  /** The sending interface's MAC (a bridge port sends with the bridge's MAC). */
  mac: string;
  identity: string;
  platform: string;
  /** As announced: `6.49.10 (stable)`, `7.16 (stable) 2024-09-20 13:00:27`, a vendor's string, or empty. */
  version: string;
  /** MNDP only (RouterOS devices). */
  board?: string;
  softwareId?: string;
  /** The sender's uptime when it announced (ms). */
  uptimeMs?: number;
  /** IPv4 address of the sending interface (or the bridge it is a port of). */
  address?: string;
  address6?: string;
  ipv6?: boolean;
  /** The sending interface as the sender names it (`ether1`, `bridge/ether2`, `Gi1/0/24`). */
  interfaceName: string;
  /** LLDP/CDP: system description and capabilities. */
  description?: string;
  caps?: string;
  capsEnabled?: string;
}

export interface NeighborEntry {
  id: number;
  /** The local interface as RouterOS shows it (`ether1`, `ether2,bridge`, `wlan1`). */
  localInterface: string;
  protocols: DiscoveryProtocol[];
  announcement: Announcement;
  /** Time since the last announcement heard (ms). */
  ageMs: number;
}

/** The announced version string of a RouterOS device: v7 adds the build time. */
export function announcedVersion(version: Version, buildTime: string): string {
  return version.major >= 7 ? `${version.text} (stable) ${buildTime}` : `${version.text} (stable)`;
}

/** How a receiver names the local port: `ether2,bridge` for a bridge port from 6.44, the bridge alone before. */
export function localInterfaceName(receiver: Version, port: string, bridge: string | undefined): string {
  if (!bridge) return port;
  return atLeast(receiver, '6.44') ? `${port},${bridge}` : bridge;
}

/** How a sender names its sending interface: `bridge/ether2` for a bridge port from 6.44, the bridge before. */
export function sendingInterfaceName(sender: Version, port: string, bridge: string | undefined): string {
  if (!bridge) return port;
  return atLeast(sender, '6.44') ? `${bridge}/${port}` : bridge;
}

export function neighborRow(e: NeighborEntry, receiver: Version): Row {
  const a = e.announcement;
  const mndp = e.protocols.includes('mndp');
  const l2 = e.protocols.includes('lldp') || e.protocols.includes('cdp');
  const row: Row = { '.id': formatId(e.id), interface: e.localInterface };
  if (a.address) {
    row.address = a.address;
    row.address4 = a.address;
  }
  if (a.address6 && (mndp || l2)) row.address6 = a.address6;
  row['mac-address'] = a.mac;
  row.identity = a.identity;
  row.platform = a.platform;
  row.version = a.version;
  row.unpack = 'none';
  row.age = formatDuration(Math.floor(e.ageMs / 1000) * 1000);
  if (mndp) {
    if (a.uptimeMs !== undefined) row.uptime = formatDuration(Math.floor(a.uptimeMs / 1000) * 1000);
    if (a.softwareId) row['software-id'] = a.softwareId;
    if (a.board) row.board = a.board;
  }
  if (a.ipv6 !== undefined) row.ipv6 = a.ipv6 ? 'true' : 'false';
  row['interface-name'] = a.interfaceName;
  if (l2 && a.description) row['system-description'] = a.description;
  row['system-caps'] = l2 ? (a.caps ?? '') : '';
  row['system-caps-enabled'] = l2 ? (a.capsEnabled ?? '') : '';
  if (atLeast(receiver, '7.7')) row['discovered-by'] = e.protocols.join(',');
  return row;
}

/** An IPv6 link-local address from a MAC (modified EUI-64), as a v7 neighbour announces it. */
export function linkLocal(mac: string): string {
  const b = mac.split(':').map((h) => Number.parseInt(h, 16));
  const e = [(b[0] ?? 0) ^ 2, b[1] ?? 0, b[2] ?? 0, 0xff, 0xfe, b[3] ?? 0, b[4] ?? 0, b[5] ?? 0];
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2) groups.push((((e[i] as number) << 8) | (e[i + 1] as number)).toString(16));
  return `fe80::${groups.join(':')}`;
}

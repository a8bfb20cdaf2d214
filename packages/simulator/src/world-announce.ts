// What a port announces in its discovery packets: a fleet device's identity, version, board and the sending
// interface (a bridge port speaks with the bridge's MAC and names itself `bridge/ether2`), or what an unmanaged
// node's spec says.
import type { Device } from './device.js';
import { BUILD_TIME_V7 } from './live.js';
import { type Announcement, announcedVersion, linkLocal, sendingInterfaceName } from './neighbors.js';
import { unit } from './values.js';
import type { WNode } from './world-build.js';
import {
  addressOn,
  bridgeMac,
  bridgeOf,
  currentName,
  findPort,
  interfaceMac,
  isDisabled,
  radioRole,
} from './world-ports.js';

function hasAp(d: Device): boolean {
  for (const menu of ['/interface/wireless', '/interface/wifi'] as const) {
    for (const item of d.store.menu(menu, false)?.items ?? [])
      if (!isDisabled(item) && radioRole({ menu, item }) === 'ap') return true;
  }
  return false;
}

/** What device `d` announces on the port bound as `bind`, at time `at`; undefined if the port is gone. */
export function announcePort(d: Device, bind: string, at: number): Announcement | undefined {
  const p = findPort(d, bind);
  if (!p) return undefined;
  const name = currentName(p.item);
  const bridge = bridgeOf(d, name);
  const mac = bridge ? bridgeMac(d, bridge) : interfaceMac(d, p.item, name);
  const version = announcedVersion(d.version, BUILD_TIME_V7);
  const ap = hasAp(d);
  const hasBridge = (d.store.menu('/interface/bridge', false)?.items.length ?? 0) > 0;
  const a: Announcement = {
    mac,
    identity: d.identity,
    platform: 'MikroTik',
    version,
    board: d.model,
    softwareId: d.softwareId,
    uptimeMs: Math.max(0, at - d.bootAt),
    interfaceName: sendingInterfaceName(d.version, name, bridge),
    description: `MikroTik RouterOS ${version} ${d.model}`,
    caps: ap ? 'bridge,wlan-ap,router' : 'bridge,router',
    capsEnabled: [hasBridge ? 'bridge' : '', ap ? 'wlan-ap' : '', 'router'].filter(Boolean).join(','),
  };
  const address = addressOn(d, bridge ?? name);
  if (address) a.address = address;
  if (d.behaviour.v7) {
    a.ipv6 = true;
    a.address6 = linkLocal(mac);
  }
  return a;
}

/** What an unmanaged node announces on attachment `attach`; `runningMs` is how long the world has run. */
export function announceNode(n: WNode, attach: number, runningMs: number): Announcement {
  const s = n.spec;
  const mndp = n.protocols.has('mndp');
  const platform = s.platform ?? (mndp ? 'MikroTik' : '');
  const version = s.version ?? '';
  const a: Announcement = {
    mac: s.mac,
    identity: s.identity,
    platform,
    version,
    interfaceName: n.ports[attach] ?? `port${attach + 1}`,
    description: s.description ?? [platform, version].filter(Boolean).join(' '),
    caps: s.systemCaps ?? 'bridge',
    capsEnabled: s.systemCaps ?? 'bridge',
  };
  if (s.address) a.address = s.address;
  if (s.board) a.board = s.board;
  // An unmanaged MikroTik has been up for weeks (seeded) and keeps counting.
  if (mndp) a.uptimeMs = 86_400_000 * 20 + Math.floor(unit(`${n.id}:up`) * 86_400_000 * 30) + runningMs;
  return a;
}

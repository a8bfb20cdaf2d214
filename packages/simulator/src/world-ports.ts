// Reading a device's ports as the world needs them: the interface behind a port (found by its default name, so a
// rename or a configuration restore keeps the cable plugged in), its current name, MAC, bridge and address, and the
// wireless settings that decide whether a radio link can associate.
import type { Device } from './device.js';
import { ConfigStore, type Item } from './store.js';

/** Menus whose items can be world ports: cabled ethernet ports and wireless interfaces. */
export const PORT_MENUS = ['/interface/ethernet', '/interface/wireless', '/interface/wifi'] as const;
export type PortMenu = (typeof PORT_MENUS)[number];

export interface PortItem {
  menu: PortMenu;
  item: Item;
}

/** The name a port is bound by: its default name (stable across renames and restores), else its name. */
export function bindName(item: Item): string {
  return item.fixed?.get('default-name') ?? ConfigStore.get(item, 'name') ?? `if${item.id}`;
}

export function currentName(item: Item): string {
  return ConfigStore.get(item, 'name') ?? item.fixed?.get('default-name') ?? `if${item.id}`;
}

/** The port bound as `bind` (default name first, then name). */
export function findPort(device: Device, bind: string): PortItem | undefined {
  for (const menu of PORT_MENUS) {
    const items = device.store.menu(menu, false)?.items;
    const found = items?.find((i) => i.fixed?.get('default-name') === bind);
    if (found) return { menu, item: found };
  }
  for (const menu of PORT_MENUS) {
    const found = device.store.menu(menu, false)?.items.find((i) => ConfigStore.get(i, 'name') === bind);
    if (found) return { menu, item: found };
  }
  return undefined;
}

/** The port named `name` now (what a spec gives), or undefined. */
export function portByName(device: Device, name: string): PortItem | undefined {
  for (const menu of PORT_MENUS) {
    const found = device.store.menu(menu, false)?.items.find((i) => currentName(i) === name);
    if (found) return { menu, item: found };
  }
  return undefined;
}

export function isDisabled(item: Item): boolean {
  return ConfigStore.get(item, 'disabled') === 'yes';
}

/** The bridge `name` is an enabled port of (an enabled bridge), or undefined. */
export function bridgeOf(device: Device, name: string): string | undefined {
  const ports = device.store.menu('/interface/bridge/port', false)?.items;
  if (!ports) return undefined;
  for (const p of ports) {
    if (ConfigStore.get(p, 'interface') !== name || isDisabled(p)) continue;
    const bridge = ConfigStore.get(p, 'bridge');
    const b = device.store.menu('/interface/bridge', false)?.items.find((i) => ConfigStore.get(i, 'name') === bridge);
    if (b && !isDisabled(b)) return bridge;
  }
  return undefined;
}

/** The MAC address an interface shows in `/interface print`. */
export function interfaceMac(device: Device, item: Item, name: string): string {
  return ConfigStore.get(item, 'mac-address') ?? device.macOf(name);
}

/**
 * A bridge's MAC: `admin-mac` with `auto-mac=no`, else (RouterOS's auto-mac) the MAC of its first port, else one of
 * its own.
 */
export function bridgeMac(device: Device, bridge: string): string {
  const b = device.store.menu('/interface/bridge', false)?.items.find((i) => ConfigStore.get(i, 'name') === bridge);
  const explicit = b ? ConfigStore.get(b, 'mac-address') : undefined;
  if (explicit) return explicit;
  if (b && ConfigStore.get(b, 'auto-mac') === 'no') {
    const admin = ConfigStore.get(b, 'admin-mac');
    if (admin) return admin;
  }
  for (const p of device.store.menu('/interface/bridge/port', false)?.items ?? []) {
    if (ConfigStore.get(p, 'bridge') !== bridge) continue;
    const name = ConfigStore.get(p, 'interface') ?? '';
    const port = portByName(device, name);
    if (port) return interfaceMac(device, port.item, name);
  }
  return device.macOf(bridge);
}

/** The first IPv4 address (without prefix) configured on an interface. */
export function addressOn(device: Device, name: string): string | undefined {
  for (const a of device.store.menu('/ip/address', false)?.items ?? []) {
    if (ConfigStore.get(a, 'interface') !== name || isDisabled(a)) continue;
    const text = ConfigStore.get(a, 'address');
    if (text) return text.split('/')[0];
  }
  return undefined;
}

// --- wireless -------------------------------------------------------------------------------------------------

/** A wireless interface's operating role, from legacy `mode=` or wifi `configuration.mode=`. */
export type RadioRole = 'ap' | 'station' | 'station-bridge' | 'other';

export function radioRole(p: PortItem): RadioRole {
  if (p.menu === '/interface/wifi') {
    const mode = ConfigStore.get(p.item, 'configuration.mode') ?? 'ap';
    if (mode === 'ap') return 'ap';
    if (mode === 'station') return 'station';
    if (mode === 'station-bridge') return 'station-bridge';
    return 'other';
  }
  const mode = ConfigStore.get(p.item, 'mode') ?? 'station';
  if (mode === 'ap-bridge' || mode === 'bridge' || mode === 'wds-slave') return 'ap';
  if (mode === 'station') return 'station';
  if (mode === 'station-bridge' || mode === 'station-pseudobridge' || mode === 'station-wds') return 'station-bridge';
  return 'other';
}

export function radioSsid(p: PortItem): string {
  const key = p.menu === '/interface/wifi' ? 'configuration.ssid' : 'ssid';
  return ConfigStore.get(p.item, key) ?? 'MikroTik';
}

/** Band, configured frequency (MHz or `auto`) and channel width of a wireless interface, as configured. */
export function radioChannel(p: PortItem): {
  band: string | undefined;
  frequency: string | undefined;
  width: string | undefined;
} {
  const wifi = p.menu === '/interface/wifi';
  return {
    band: ConfigStore.get(p.item, wifi ? 'channel.band' : 'band'),
    frequency: ConfigStore.get(p.item, wifi ? 'channel.frequency' : 'frequency'),
    width: ConfigStore.get(p.item, wifi ? 'channel.width' : 'channel-width'),
  };
}

/** A radio's name as MikroTik peers see it: `radio-name=`, by default the interface MAC without colons. */
export function radioName(device: Device, p: PortItem): string {
  const set = ConfigStore.get(p.item, 'radio-name');
  if (set) return set;
  return interfaceMac(device, p.item, currentName(p.item)).replaceAll(':', '');
}

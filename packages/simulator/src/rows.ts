// Items as API rows (`.id`, every value a string, booleans `true`/`false`), with the live fields RouterOS adds.
import { isSecretProperty } from '@tod/rsc';
import { CERTIFICATE_MENU, certificateRow } from './certificates.js';
import type { Device } from './device.js';
import { interfaceCounters, leaseLive, linkState, registrationLive } from './live.js';
import { INTERFACE_TYPES } from './menus.js';
import type { Row } from './query.js';
import { ConfigStore, type Item } from './store.js';
import { formatDateTime, formatId, toApiValue, unit } from './values.js';
import { interfaceFields, peerFields, WG_MENU, WG_PEERS } from './wireguard.js';
import { bridgeMac, PORT_MENUS, type PortMenu } from './world-ports.js';

export interface Entry {
  path: string;
  item: Item;
}

// RouterOS never prints a user's password; other secrets only to callers with the `sensitive` policy. An item's
// name is always printed (an SNMP community's name is a secret to redact in exports, not hidden by print).
function hidden(path: string, name: string, sensitive: boolean): boolean {
  if (path === '/user' && name === 'password') return true;
  return !sensitive && name !== 'name' && isSecretProperty(path, name);
}
const COUNTED = /^\/ip(v6)?\/firewall\/(filter|nat|mangle|raw)$/;

/** The entries of a menu; `/interface` is the union of every interface-type menu. */
export function entriesOf(device: Device, path: string): Entry[] {
  if (path === '/interface') {
    const out: Entry[] = [];
    for (const p of INTERFACE_TYPES.keys()) {
      for (const item of device.store.menu(p, false)?.items ?? []) out.push({ path: p, item });
    }
    return out;
  }
  return (device.store.menu(path, false)?.items ?? []).map((item) => ({ path, item }));
}

function baseRow(path: string, item: Item, singleton: boolean, sensitive: boolean): Row {
  const row: Row = {};
  if (!singleton) row['.id'] = formatId(item.id);
  if (item.fixed) for (const [k, v] of item.fixed) row[k] = toApiValue(v);
  for (const [k, v] of item.props) {
    // `!name` (an export's "unset") is kept for /export; print leaves unset properties out, as RouterOS does.
    if (k.startsWith('!') || hidden(path, k, sensitive)) continue;
    row[k] = toApiValue(v);
  }
  if (!singleton) {
    row.disabled ??= 'false';
    if (path !== '/interface') row.dynamic = item.dynamic ? 'true' : 'false';
  }
  return row;
}

export function interfaceRow(device: Device, e: Entry, now: number): Row {
  const { item } = e;
  const type = INTERFACE_TYPES.get(e.path) ?? 'ether';
  const name = ConfigStore.get(item, 'name') ?? ConfigStore.get(item, 'default-name') ?? `if${item.id}`;
  const disabled = ConfigStore.get(item, 'disabled') === 'yes';
  const ethers = device.store.menu('/interface/ethernet', false)?.items ?? [];
  const port = e.path === '/interface/ethernet' ? ethers.indexOf(item) : undefined;
  const c = device.live(now);
  const physical = (PORT_MENUS as readonly string[]).includes(e.path)
    ? device.world?.portLink(device, e.path as PortMenu, item, now)
    : undefined;
  const input = { name, type, disabled, ...(port !== undefined ? { port } : {}), ...(physical ? { physical } : {}) };
  const link = linkState(c, input);
  const mtu = ConfigStore.get(item, 'mtu') ?? '1500';
  const row: Row = { '.id': formatId(item.id), name };
  const defName = item.fixed?.get('default-name');
  if (defName !== undefined) row['default-name'] = defName;
  Object.assign(row, {
    type,
    mtu,
    'actual-mtu': mtu,
    l2mtu: type === 'ether' || type === 'wlan' || type === 'wifi' ? '1598' : '65535',
    'max-l2mtu': '9214',
    'mac-address':
      ConfigStore.get(item, 'mac-address') ??
      (e.path === '/interface/bridge' ? bridgeMac(device, name) : device.macOf(name)),
    'link-downs': String(link.downs),
    running: link.running ? 'true' : 'false',
    disabled: disabled ? 'true' : 'false',
  });
  if (link.running && link.upSince > 0) row['last-link-up-time'] = formatDateTime(new Date(link.upSince), true);
  const bridged = device.store
    .menu('/interface/bridge/port', false)
    ?.items.some((p) => ConfigStore.get(p, 'interface') === name);
  if (bridged) row.slave = 'true';
  const comment = ConfigStore.get(item, 'comment');
  if (comment !== undefined) row.comment = comment;
  Object.assign(row, interfaceCounters(c, input, link.running));
  return row;
}

/** One API row for an entry of `path` (the menu being printed); secrets only when the caller may see them. */
export function rowOf(device: Device, path: string, e: Entry, now: number, sensitive = false): Row {
  if (path === '/interface') return interfaceRow(device, e, now);
  if (path === CERTIFICATE_MENU) return certificateRow(device, e.item, now);
  const menu = device.store.menu(e.path, false);
  const row = baseRow(path, e.item, menu?.singleton ?? false, sensitive);
  const c = device.live(now);
  if (COUNTED.test(path)) {
    const n =
      BigInt(Math.floor((now - device.bootAt) / 1000)) *
      BigInt(1 + Math.floor(unit(`${device.key}:${e.item.id}`) * 50));
    row.bytes = String(n * 700n);
    row.packets = String(n);
    row.invalid = 'false';
  } else if (path === '/interface/wifi/registration-table') {
    // The wifi package names things differently from legacy wireless (`signal`, `auth-type`, `band`).
    const live = registrationLive(
      c,
      `${e.item.id}`,
      device.bootAt + Math.floor(unit(`${device.key}:${e.item.id}:c`) * 60_000),
    );
    Object.assign(row, {
      ssid: 'tod',
      uptime: live.uptime,
      'last-activity': live['last-activity'],
      signal: (live['signal-strength'] ?? '-60').split('@')[0],
      'auth-type': 'wpa2-psk',
      band: '5ghz-ac',
      'tx-rate': String(Math.round(Number.parseFloat(live['tx-rate'] ?? '6') * 1e6)),
      'rx-rate': String(Math.round(Number.parseFloat(live['rx-rate'] ?? '6') * 1e6)),
      packets: live.packets,
      bytes: live.bytes,
      'tx-bits-per-second': String(Math.floor(Number(live['p-throughput'] ?? '0') * 100)),
      'rx-bits-per-second': String(Math.floor(Number(live['p-throughput'] ?? '0') * 30)),
      authorized: 'true',
    });
    delete row.disabled;
    delete row.dynamic;
  } else if (path === '/interface/wireless/registration-table') {
    Object.assign(
      row,
      registrationLive(c, `${e.item.id}`, device.bootAt + Math.floor(unit(`${device.key}:${e.item.id}:c`) * 60_000)),
    );
    Object.assign(row, {
      ap: 'false',
      wds: 'false',
      bridge: 'false',
      distance: '1',
      'authentication-type': 'wpa2-psk',
      encryption: 'aes-ccm',
      'group-encryption': 'aes-ccm',
      'management-protection': 'false',
      '802.1x-port-enabled': 'true',
      'wmm-enabled': 'true',
      'tx-rate-set': 'OFDM:6-54 BW:1x-4x SGI:1x-4x HT:0-15 VHTMCS:SS1=0-9,SS2=0-9',
    });
    delete row.disabled;
    delete row.dynamic;
  } else if (path === '/interface/wireless' || path === '/interface/wifi') {
    // The `running` flag, as in `/interface print` (a station runs while associated).
    row.running = interfaceRow(device, e, now).running ?? 'false';
  } else if (path === '/ip/dhcp-server/lease') {
    const address = row.address ?? '';
    const mac = row['mac-address'] ?? '';
    const server = row.server ?? 'all';
    Object.assign(row, leaseLive(c, `${e.item.id}`, address, mac, server));
    row['address-lists'] ??= '';
    row.blocked ??= 'false';
    row['dhcp-option'] ??= '';
    row.radius ??= 'false';
    row['host-name'] ??= '';
    row.comment ??= '';
    if (!e.item.dynamic) row['client-id'] ??= `1:${mac.toLowerCase()}`;
  } else if (path === '/system/scheduler') {
    const info = device.scheduler.info(e.item);
    row['run-count'] = String(info.runCount);
    if (info.nextRun !== undefined) row['next-run'] = formatDateTime(new Date(info.nextRun), device.behaviour.isoDates);
    row.owner ??= 'admin';
    row.policy ??= 'ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon';
    row.interval ??= '0s';
    row['on-event'] ??= '';
  } else if (path === '/system/script') {
    row.owner ??= 'admin';
    row.policy ??= 'ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon';
    row['dont-require-permissions'] ??= 'false';
    row.invalid = 'false';
    row['run-count'] ??= '0';
    row.source ??= '';
    delete row.dynamic;
  } else if (path === '/ip/route') {
    // A route added without a destination is a default route: print says so (the export leaves the default out).
    row['dst-address'] ??= '0.0.0.0/0';
  } else if (path === '/ip/address') {
    row['actual-interface'] ??= row.interface ?? '';
    row.invalid = 'false';
  } else if (path === '/user') {
    row['last-logged-in'] ??= '';
  } else if (path === WG_MENU) {
    interfaceFields(device, e.item, row, sensitive);
  } else if (path === WG_PEERS) {
    peerFields(device, row, sensitive);
  } else if (path === '/ip/service') {
    // The TLS services name their certificate, `none` until one is set.
    if (row.name === 'api-ssl' || row.name === 'www-ssl') row.certificate ??= 'none';
  } else if (path === '/log' || path === '/file') {
    delete row.disabled;
    delete row.dynamic;
    // Print shows file contents only up to a size (4 KB on v6, 60 KB on v7); larger files need /file/read.
    const limit = device.behaviour.v7 ? 61_440 : 4095;
    if (Number(row.size ?? '0') > limit) delete row.contents;
  }
  return row;
}

// Values RouterOS leaves out of a compact export because they are the default. A desired-state overlay needs them:
// `disabled=no` written in a template equals an export that does not mention `disabled`. Only cases known for sure
// are listed; a wrong entry would hide a real difference (an item that is disabled by default looks enabled), a
// missing one only costs a redundant `set`.

/** Menus whose items are enabled unless an export says `disabled=yes`, on every RouterOS version. */
const ENABLED_BY_DEFAULT = new Set([
  '/interface/bridge',
  '/interface/bridge/port',
  '/interface/bridge/vlan',
  '/interface/ethernet',
  '/interface/list/member',
  '/interface/vlan',
  '/interface/wireguard',
  '/interface/wireguard/peers',
  '/ip/address',
  '/ipv6/address',
  '/ip/arp',
  '/ip/dns/static',
  '/ip/dhcp-server/lease',
  '/ip/firewall/address-list',
  '/ip/firewall/filter',
  '/ip/firewall/mangle',
  '/ip/firewall/nat',
  '/ip/firewall/raw',
  '/ipv6/firewall/address-list',
  '/ipv6/firewall/filter',
  '/ipv6/firewall/mangle',
  '/ipv6/firewall/nat',
  '/ipv6/firewall/raw',
  '/ip/route',
  '/ipv6/route',
  '/queue/simple',
  '/system/scheduler',
  '/tool/netwatch',
]);

/** Enabled by default from RouterOS 7 on; RouterOS 6 creates them disabled (its exports say `disabled=no`). */
const ENABLED_BY_DEFAULT_FROM_V7 = new Set(['/ip/dhcp-client', '/ip/dhcp-server']);

/** Other properties' defaults, the same on RouterOS 6 and 7: `path name` → value. */
const VALUES = new Map([
  ['/ip/dns allow-remote-requests', 'no'],
  ['/ip/dhcp-client add-default-route', 'yes'],
  ['/ip/dhcp-client use-peer-dns', 'yes'],
  ['/ip/dhcp-client use-peer-ntp', 'yes'],
  ['/system/clock time-zone-autodetect', 'yes'],
  ['/system/ntp/client enabled', 'no'],
]);

/**
 * Whether `name=value` is what RouterOS has when an export of `path` does not mention `name` (known cases only).
 * `major` is the device's RouterOS major version; unknown means only version-independent defaults apply.
 */
export function isDefaultValue(path: string, name: string, value: string, major?: number): boolean {
  if (VALUES.get(`${path} ${name}`) === value) return true;
  if (name !== 'disabled' || value !== 'no') return false;
  return ENABLED_BY_DEFAULT.has(path) || (major !== undefined && major >= 7 && ENABLED_BY_DEFAULT_FROM_V7.has(path));
}

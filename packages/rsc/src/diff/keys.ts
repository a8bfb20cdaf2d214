// Natural keys: which properties identify an item in a menu, so two exports can be matched without `.id`.
// A field ending in `?` is optional; an item is keyed when all required fields (and at least one field) are set.

const KEYS: Array<[string, string[]]> = [
  ['/ip/address', ['address', 'interface']],
  ['/ipv6/address', ['address', 'interface']],
  ['/ip/arp', ['address', 'interface']],
  ['/ip/dhcp-server/lease', ['mac-address?', 'client-id?', 'server?']],
  ['/ip/dhcp-server/network', ['address']],
  ['/ip/dhcp-client', ['interface']],
  ['/ipv6/dhcp-client', ['interface']],
  ['/ip/dns/static', ['name?', 'regexp?', 'type?', 'address?', 'cname?', 'forward-to?']],
  ['/ip/route', ['dst-address?', 'gateway?', 'routing-table?', 'routing-mark?', 'vrf-interface?', 'distance?']],
  ['/ipv6/route', ['dst-address?', 'gateway?', 'routing-table?', 'distance?']],
  ['/ip/firewall/address-list', ['list', 'address']],
  ['/ipv6/firewall/address-list', ['list', 'address']],
  ['/ip/firewall/filter', ['chain', 'comment']],
  ['/ip/firewall/nat', ['chain', 'comment']],
  ['/ip/firewall/mangle', ['chain', 'comment']],
  ['/ip/firewall/raw', ['chain', 'comment']],
  ['/ipv6/firewall/filter', ['chain', 'comment']],
  ['/ipv6/firewall/nat', ['chain', 'comment']],
  ['/ipv6/firewall/mangle', ['chain', 'comment']],
  ['/ipv6/firewall/raw', ['chain', 'comment']],
  ['/routing/filter/rule', ['chain', 'comment']],
  ['/routing/filter', ['chain', 'comment']],
  ['/interface/bridge/port', ['bridge', 'interface']],
  ['/interface/bridge/vlan', ['bridge', 'vlan-ids']],
  ['/interface/bridge/filter', ['chain', 'comment']],
  ['/interface/bridge/nat', ['chain', 'comment']],
  ['/interface/list/member', ['list', 'interface']],
  ['/interface/wireless/access-list', ['mac-address?', 'interface?']],
  ['/interface/wireless/connect-list', ['interface', 'ssid?', 'mac-address?']],
  ['/interface/wireguard/peers', ['public-key']],
  ['/ip/ipsec/identity', ['peer']],
  ['/ip/ipsec/policy', ['src-address?', 'dst-address?', 'peer?']],
  ['/ip/upnp/interfaces', ['interface']],
  ['/ip/neighbor/discovery', ['name']],
  ['/tool/mac-server', ['interface']],
  ['/tool/mac-server/mac-winbox', ['interface']],
  ['/tool/netwatch', ['host']],
  ['/system/logging', ['topics', 'action']],
  ['/queue/interface', ['interface']],
  ['/ip/hotspot/walled-garden', ['dst-host?', 'comment?']],
  ['/ip/hotspot/walled-garden/ip', ['dst-address?', 'comment?']],
  ['/routing/ospf/interface-template', ['interfaces?', 'networks?', 'area?']],
  ['/routing/ospf/network', ['network', 'area?']],
  ['/routing/bgp/network', ['network']],
  ['/ip/firewall/service-port', ['name']],
  ['/ip/service', ['name']],
  ['/ipv6/nd', ['interface']],
  ['/ipv6/nd/prefix', ['prefix?', 'interface?']],
  ['/snmp/community', ['name']],
];

const TABLE = new Map(KEYS);

/** Menus where item order is behaviour (rules evaluated top to bottom): the diff reports moves there. */
const ORDERED = new Set([
  '/ip/firewall/filter',
  '/ip/firewall/nat',
  '/ip/firewall/mangle',
  '/ip/firewall/raw',
  '/ipv6/firewall/filter',
  '/ipv6/firewall/nat',
  '/ipv6/firewall/mangle',
  '/ipv6/firewall/raw',
  '/routing/filter',
  '/routing/filter/rule',
  '/interface/bridge/filter',
  '/interface/bridge/nat',
  '/queue/simple',
  '/ip/hotspot/walled-garden',
  '/ip/hotspot/walled-garden/ip',
]);

/** Key fields for a menu (default: `name`). */
export function keyFields(path: string): string[] {
  return TABLE.get(path) ?? ['name'];
}

export function isOrderedMenu(path: string): boolean {
  return ORDERED.has(path);
}

/** The key fields that identify `props` in `path`, or undefined if the item has no natural key. */
export function naturalKey(path: string, props: Map<string, string>): Array<[string, string]> | undefined {
  const out: Array<[string, string]> = [];
  for (const f of keyFields(path)) {
    const optional = f.endsWith('?');
    const name = optional ? f.slice(0, -1) : f;
    const v = props.get(name);
    if (v === undefined) {
      if (!optional) return undefined;
      continue;
    }
    out.push([name, v]);
  }
  return out.length > 0 ? out : undefined;
}

/** Stable text form of key fields: `address=10.0.0.1/24 interface=ether1` (values JSON-quoted if needed). */
export function keyString(fields: Array<[string, string]>): string {
  return fields.map(([n, v]) => `${n}=${/^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)}`).join(' ');
}

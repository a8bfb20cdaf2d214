// Which menus exist on a device, which of them are interfaces, and the built-in items every device starts with.
import type { ConfigStore } from './store.js';
import { macFor } from './values.js';
import { seedSecurityProfiles } from './wireless.js';

/** Interface menus and the `type` RouterOS shows for them in `/interface`. */
export const INTERFACE_TYPES: ReadonlyMap<string, string> = new Map([
  ['/interface/ethernet', 'ether'],
  ['/interface/bridge', 'bridge'],
  ['/interface/vlan', 'vlan'],
  ['/interface/bonding', 'bond'],
  ['/interface/wireless', 'wlan'],
  ['/interface/wifi', 'wifi'],
  ['/interface/wireguard', 'wg'],
  ['/interface/eoip', 'eoip'],
  ['/interface/gre', 'gre'],
  ['/interface/ipip', 'ipip'],
  ['/interface/veth', 'veth'],
  ['/interface/vrrp', 'vrrp'],
  ['/interface/macvlan', 'macvlan'],
  ['/interface/pppoe-client', 'pppoe-out'],
  ['/interface/l2tp-client', 'l2tp-out'],
  ['/interface/sstp-client', 'sstp-out'],
  ['/interface/ovpn-client', 'ovpn-out'],
  ['/interface/pptp-client', 'pptp-out'],
  ['/interface/lte', 'lte'],
  ['/interface/6to4', '6to4'],
  ['/interface/vxlan', 'vxlan'],
  ['/interface/wireless/nstreme-dual', 'nstreme-dual'],
]);

/** Menus every device has (a store menu that a loaded export created exists too). */
const COMMON = [
  '/interface',
  '/interface/list',
  '/interface/list/member',
  '/interface/bridge/port',
  '/interface/bridge/vlan',
  '/interface/bridge/host',
  '/interface/ethernet/switch',
  '/interface/ethernet/switch/port',
  '/ip/address',
  '/ip/route',
  '/ip/pool',
  '/ip/dns',
  '/ip/dns/static',
  '/ip/dhcp-server',
  '/ip/dhcp-server/network',
  '/ip/dhcp-server/lease',
  '/ip/dhcp-client',
  '/ip/firewall/filter',
  '/ip/firewall/nat',
  '/ip/firewall/mangle',
  '/ip/firewall/raw',
  '/ip/firewall/address-list',
  '/ip/firewall/connection',
  '/ip/neighbor',
  '/ip/neighbor/discovery-settings',
  '/ip/service',
  '/ip/settings',
  '/ip/cloud',
  '/ip/arp',
  '/ip/ipsec/peer',
  '/ip/ipsec/profile',
  '/ip/ipsec/proposal',
  '/ip/ipsec/identity',
  '/ip/ipsec/policy',
  '/ip/hotspot',
  '/ip/upnp',
  '/ipv6/address',
  '/ipv6/route',
  '/ipv6/firewall/filter',
  '/ipv6/settings',
  '/ppp/secret',
  '/ppp/profile',
  '/ppp/active',
  '/queue/simple',
  '/queue/tree',
  '/queue/type',
  '/routing/ospf/instance',
  '/routing/filter',
  '/snmp',
  '/snmp/community',
  '/system/identity',
  '/system/clock',
  '/system/ntp/client',
  '/system/logging',
  '/system/logging/action',
  '/system/script',
  '/system/scheduler',
  '/system/resource',
  '/system/health',
  '/system/routerboard',
  '/system/routerboard/settings',
  '/system/package',
  '/system/package/update',
  '/system/note',
  '/system/license',
  '/system/history',
  '/tool/netwatch',
  '/tool/e-mail',
  '/tool/mac-server',
  '/tool/mac-server/mac-winbox',
  '/tool/romon',
  '/tool/bandwidth-server',
  '/user',
  '/user/group',
  '/user/active',
  '/certificate',
  '/file',
  '/log',
];
const V6_ONLY = [
  '/interface/wireless',
  '/interface/wireless/security-profiles',
  '/interface/wireless/registration-table',
  '/routing/bgp/peer',
  '/routing/bgp/instance',
  '/routing/ospf/interface',
];
const V7_ONLY = [
  '/interface/wifi',
  '/interface/wifi/registration-table',
  '/interface/wifi/security',
  '/interface/wifi/configuration',
  '/interface/wifi/channel',
  '/interface/wifi/datapath',
  '/interface/wifi/provisioning',
  '/interface/wifi/capsman',
  '/system/ntp/client/servers',
  '/interface/wireguard',
  '/interface/wireguard/peers',
  '/interface/veth',
  '/routing/bgp/connection',
  '/routing/bgp/template',
  '/routing/ospf/interface-template',
  '/routing/ospf/area',
  '/routing/table',
  '/disk',
  '/container',
];

export function knownMenus(v7: boolean): Set<string> {
  const set = new Set(COMMON);
  for (const p of INTERFACE_TYPES.keys()) set.add(p);
  for (const p of v7 ? V7_ONLY : V6_ONLY) set.add(p);
  const gone = v7 ? V6_ONLY : V7_ONLY;
  for (const p of [...set]) if (gone.some((g) => p === g || p.startsWith(`${g}/`))) set.delete(p);
  return set;
}

/** Names that must be unique in a menu (adding a duplicate is a `failure`). */
export const UNIQUE_NAME_MENUS = new Set([
  ...INTERFACE_TYPES.keys(),
  '/interface/list',
  '/ip/pool',
  '/ip/dhcp-server',
  '/interface/wireless/security-profiles',
  '/system/script',
  '/system/scheduler',
  '/user',
  '/user/group',
  '/ppp/secret',
  '/ppp/profile',
  '/snmp/community',
  '/certificate',
]);

/** Properties an `add` must have, per menu (RouterOS answers `failure: ... must be set`). */
export const REQUIRED: ReadonlyMap<string, string[]> = new Map([
  ['/ip/address', ['address', 'interface']],
  ['/ip/firewall/filter', ['chain']],
  ['/ip/firewall/nat', ['chain']],
  ['/ip/firewall/mangle', ['chain']],
  ['/ip/route', []],
  ['/interface/vlan', ['interface', 'vlan-id']],
  ['/interface/bridge/port', ['bridge', 'interface']],
  ['/system/scheduler', ['name']],
  ['/user', ['name', 'group']],
  ['/ip/dhcp-client', ['interface']],
  ['/ip/dhcp-server', ['interface']],
  ['/ip/dhcp-server/network', ['address']],
  ['/interface/pppoe-client', ['interface']],
  ['/system/ntp/client/servers', ['address']],
]);

/** Properties that name an interface and must refer to one that exists. */
export const INTERFACE_REFS: ReadonlyMap<string, string[]> = new Map([
  ['/ip/address', ['interface']],
  ['/interface/vlan', ['interface']],
  ['/interface/bridge/port', ['interface', 'bridge']],
  ['/ip/dhcp-client', ['interface']],
  ['/ip/dhcp-server', ['interface']],
  ['/interface/pppoe-client', ['interface']],
]);

/** Built-in items every device has before any configuration. */
export function seedDefaults(store: ConfigStore, key: string, ports: number, v7: boolean): void {
  for (let i = 1; i <= ports; i++) {
    const name = `ether${i}`;
    store.add('/interface/ethernet', new Map(), {
      builtin: true,
      fixed: new Map([
        ['name', name],
        ['default-name', name],
        ['mac-address', macFor(`${key}:${name}`)],
      ]),
    });
  }
  const services: Array<[string, string]> = [
    ['telnet', '23'],
    ['ftp', '21'],
    ['www', '80'],
    ['ssh', '22'],
    ['www-ssl', '443'],
    ['api', '8728'],
    ['winbox', '8291'],
    ['api-ssl', '8729'],
  ];
  for (const [name, port] of services) {
    store.add('/ip/service', new Map(), {
      builtin: true,
      fixed: new Map([
        ['name', name],
        ['port', port],
        // As RouterOS ships: www-ssl off (it has no certificate yet), the others on; a default is never exported.
        ...(name === 'www-ssl' ? [['disabled', 'yes'] as [string, string]] : []),
      ]),
    });
  }
  const groups: Array<[string, string]> = [
    [
      'read',
      'local,telnet,ssh,reboot,read,test,winbox,password,web,sniff,sensitive,api,romon,rest-api,!ftp,!write,!policy',
    ],
    [
      'write',
      'local,telnet,ssh,reboot,read,write,test,winbox,password,web,sniff,sensitive,api,romon,rest-api,!ftp,!policy',
    ],
    [
      'full',
      'local,telnet,ssh,ftp,reboot,read,write,policy,test,winbox,password,web,sniff,sensitive,api,romon,rest-api',
    ],
  ];
  for (const [name, policy] of groups) {
    store.add('/user/group', new Map(), {
      builtin: true,
      fixed: new Map([
        ['name', name],
        ['policy', policy],
        ['skin', 'default'],
      ]),
    });
  }
  store.singleton('/system/identity').fixed = new Map([['name', 'MikroTik']]);
  // RouterOS 6 ships the wireless package on every device (v7 only when it runs it: generate.ts).
  if (!v7) seedSecurityProfiles(store);
  if (v7)
    store.singleton('/system/note').fixed = new Map([
      ['show-at-login', 'yes'],
      ['note', ''],
    ]);
}

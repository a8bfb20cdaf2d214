import type { VariableDeclaration } from './variables.js';

// Starter templates an organisation can copy: the seed's set (basic router, basic firewall, DHCP server, wireless
// AP, initial setup). Each renders with its defaults on RouterOS 6 and 7, and describes desired state: firewall
// rules carry comments so they are keyed (a re-push finds them instead of adding twins).

export type StarterTemplate = {
  /** Stable id (`basic-router`). */
  key: string;
  name: string;
  description: string;
  body: string;
  variables: VariableDeclaration[];
};

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const basicRouter: StarterTemplate = {
  key: 'basic-router',
  name: 'Basic router',
  description: 'Internet from a DHCP client on the WAN port, a LAN bridge with an address, NAT masquerade.',
  variables: [
    { name: 'wan_interface', type: 'string', default: 'ether1', description: 'Port facing the internet' },
    { name: 'lan_bridge', type: 'string', default: 'bridge', description: 'Name of the LAN bridge' },
    {
      name: 'lan_ports',
      type: 'list',
      default: ['ether2', 'ether3', 'ether4', 'ether5'],
      description: 'Ports in the LAN bridge',
    },
    { name: 'lan_address', type: 'cidr', default: '192.168.88.1/24', description: "The router's LAN address" },
  ],
  body: lines(
    '/interface bridge',
    'add name={{ lan_bridge | ros }}',
    '/interface bridge port',
    '{%- for port in lan_ports %}',
    'add bridge={{ lan_bridge | ros }} interface={{ port | ros }}',
    '{%- endfor %}',
    '/ip address',
    'add address={{ lan_address }} interface={{ lan_bridge | ros }}',
    '/ip dhcp-client',
    'add disabled=no interface={{ wan_interface | ros }}',
    '/ip firewall nat',
    'add action=masquerade chain=srcnat comment="tod: masquerade" out-interface={{ wan_interface | ros }}',
  ),
};

const basicFirewall: StarterTemplate = {
  key: 'basic-firewall',
  name: 'Basic firewall',
  description:
    'Accept established and related, drop invalid, drop what comes from the WAN. Management networks stay allowed.',
  variables: [
    { name: 'wan_interface', type: 'string', default: 'ether1', description: 'Port facing the internet' },
    { name: 'allow_ping', type: 'boolean', default: true, description: 'Answer ICMP (ping) from anywhere' },
    {
      name: 'management_networks',
      type: 'list',
      of: 'cidr',
      default: [],
      description: 'Networks that may reach the router from the WAN (TOD among them)',
    },
  ],
  body: lines(
    '/ip firewall address-list',
    '{%- for net in management_networks %}',
    'add address={{ net }} list=tod-management',
    '{%- endfor %}',
    '/ip firewall filter',
    'add action=accept chain=input comment="tod: accept established,related" connection-state=established,related',
    'add action=drop chain=input comment="tod: drop invalid" connection-state=invalid',
    '{%- if allow_ping %}',
    'add action=accept chain=input comment="tod: accept ICMP" protocol=icmp',
    '{%- endif %}',
    '{%- if management_networks.size > 0 %}',
    'add action=accept chain=input comment="tod: accept management" src-address-list=tod-management',
    '{%- endif %}',
    'add action=drop chain=input comment="tod: drop input from WAN" in-interface={{ wan_interface | ros }}',
    'add action=accept chain=forward comment="tod: forward established,related" connection-state=established,related',
    'add action=drop chain=forward comment="tod: forward drop invalid" connection-state=invalid',
    'add action=drop chain=forward comment="tod: drop WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface={{ wan_interface | ros }}',
  ),
};

const dhcpServer: StarterTemplate = {
  key: 'dhcp-server',
  name: 'DHCP server',
  description: 'An address pool from the LAN network, a DHCP server on the LAN interface, and its network.',
  variables: [
    { name: 'interface', type: 'string', default: 'bridge', description: 'Interface the server answers on' },
    { name: 'lan_address', type: 'cidr', default: '192.168.88.1/24', description: "The router's LAN address" },
    { name: 'pool_first', type: 'integer', default: 10, description: 'First pool address, counted in the network' },
    { name: 'pool_last', type: 'integer', default: -2, description: 'Last pool address (negative: from the end)' },
    { name: 'dns_servers', type: 'list', of: 'ip', default: [], description: 'Given to clients (empty: the router)' },
    { name: 'lease_time', type: 'string', default: '1h' },
    { name: 'server_name', type: 'string', default: 'dhcp-lan' },
  ],
  body: lines(
    '/ip pool',
    'add name={{ server_name | ros }} ranges={{ lan_address | host: pool_first }}-{{ lan_address | host: pool_last }}',
    '/ip dhcp-server',
    'add address-pool={{ server_name | ros }} disabled=no interface={{ interface | ros }} lease-time={{ lease_time | ros }} name={{ server_name | ros }}',
    '/ip dhcp-server network',
    '{%- if dns_servers.size > 0 %}{% assign dns = dns_servers | join: "," %}{% else %}{% assign dns = lan_address | address %}{% endif %}',
    'add address={{ lan_address | network }} dns-server={{ dns }} gateway={{ lan_address | address }}',
  ),
};

const wirelessAp: StarterTemplate = {
  key: 'wireless-ap',
  name: 'Wireless access point',
  description:
    'A WPA2 access point: `/interface wifi` on RouterOS 7 (7.13 and later, wifi package), `/interface wireless` with a security profile on RouterOS 6 and on 7 with the wireless package.',
  variables: [
    { name: 'ssid', type: 'string', default: 'TOD', required: true },
    {
      name: 'passphrase',
      type: 'string',
      default: 'change-this-passphrase',
      required: true,
      description: 'WPA2 passphrase, 8 to 63 characters: replace the default',
    },
    { name: 'radio', type: 'string', description: 'Radio to configure (default wifi1 or wlan1)' },
    { name: 'wifi_menu', type: 'boolean', default: true, description: 'On RouterOS 7, use /interface wifi' },
  ],
  body: lines(
    '{%- if device.major >= 7 and wifi_menu %}',
    '/interface wifi security',
    'add authentication-types=wpa2-psk name=tod-ap passphrase={{ passphrase | ros }}',
    '/interface wifi',
    'set [ find default-name={{ radio | default: "wifi1" | ros }} ] configuration.mode=ap configuration.ssid={{ ssid | ros }} disabled=no security=tod-ap',
    '{%- else %}',
    '/interface wireless security-profiles',
    'add authentication-types=wpa2-psk mode=dynamic-keys name=tod-ap wpa2-pre-shared-key={{ passphrase | ros }}',
    '/interface wireless',
    'set [ find default-name={{ radio | default: "wlan1" | ros }} ] disabled=no mode=ap-bridge security-profile=tod-ap ssid={{ ssid | ros }}',
    '{%- endif %}',
  ),
};

const initialSetup: StarterTemplate = {
  key: 'initial-setup',
  name: 'Initial device setup',
  description: 'Identity, time zone, NTP client and DNS servers.',
  variables: [
    { name: 'identity', type: 'string', description: "The router's identity (default: its name in TOD)" },
    { name: 'time_zone', type: 'string', default: 'Etc/UTC' },
    { name: 'ntp_servers', type: 'list', default: ['pool.ntp.org'] },
    { name: 'dns_servers', type: 'list', of: 'ip', default: ['1.1.1.1', '9.9.9.9'] },
    { name: 'dns_remote_requests', type: 'boolean', default: false, description: 'Answer DNS queries from the LAN' },
  ],
  body: lines(
    '/system identity',
    'set name={{ identity | default: device.name | ros }}',
    '/system clock',
    'set time-zone-autodetect=no time-zone-name={{ time_zone | ros }}',
    '{%- if device.major >= 7 %}',
    '/system ntp client',
    'set enabled=yes',
    '/system ntp client servers',
    '{%- for server in ntp_servers %}',
    'add address={{ server | ros }}',
    '{%- endfor %}',
    '{%- else %}',
    '/system ntp client',
    'set enabled=yes server-dns-names={{ ntp_servers | ros }}',
    '{%- endif %}',
    '/ip dns',
    'set allow-remote-requests={{ dns_remote_requests | yesno }} servers={{ dns_servers | ros }}',
  ),
};

export const starterTemplates: readonly StarterTemplate[] = [
  basicRouter,
  basicFirewall,
  dhcpServer,
  wirelessAp,
  initialSetup,
];

// A generated configuration of a chosen size, for fleets and benchmarks that need many similar devices.
import type { GenerateOptions } from './spec.js';
import type { ConfigStore } from './store.js';
import { macFor } from './values.js';
import { seedSecurityProfiles } from './wireless.js';

export function generateConfig(store: ConfigStore, key: string, index: number, g: GenerateOptions, v7: boolean): void {
  const ports = g.interfaces ?? 5;
  const m = (entries: Array<[string, string]>) => new Map(entries);
  const third = (index >> 8) & 0xff;
  const fourth = index & 0xff;
  const bridgePorts = g.bridgePorts ?? Array.from({ length: Math.max(0, ports - 1) }, (_, i) => `ether${i + 2}`);
  const bridged = bridgePorts.length > 0;
  if (bridged) {
    store.add('/interface/bridge', m([['name', 'bridge']]));
    for (const port of bridgePorts)
      store.add(
        '/interface/bridge/port',
        m([
          ['bridge', 'bridge'],
          ['interface', port],
        ]),
      );
  }
  // A bridged ether1 carries its address on the bridge, as RouterOS wants it.
  const wan = bridgePorts.includes('ether1') ? 'bridge' : 'ether1';
  const lan = bridged ? 'bridge' : 'ether1';
  for (let v = 1; v <= (g.vlans ?? 0); v++) {
    store.add(
      '/interface/vlan',
      m([
        ['interface', 'bridge'],
        ['name', `vlan${100 + v}`],
        ['vlan-id', String(100 + v)],
      ]),
    );
  }
  const wifi = (g.wirelessPackage ?? (v7 ? 'wifi' : 'wireless')) === 'wifi';
  const wlanMenu = wifi ? '/interface/wifi' : '/interface/wireless';
  if (!wifi && v7) seedSecurityProfiles(store);
  for (let w = 1; w <= (g.wireless ?? 0); w++) {
    const name = `${g.wirelessName ?? 'wlan'}${w}`;
    const cfg: Array<[string, string]> = wifi
      ? [
          ['configuration.mode', 'ap'],
          ['configuration.ssid', `tod-${index}`],
          ['disabled', 'no'],
        ]
      : [
          ['mode', 'ap-bridge'],
          ['ssid', `tod-${index}`],
          ['disabled', 'no'],
        ];
    store.add(wlanMenu, m(cfg), {
      builtin: true,
      fixed: m([
        ['name', name],
        ['default-name', name],
        ['mac-address', macFor(`${key}:${name}`)],
      ]),
    });
    for (let c = 1; c <= (g.wirelessClients ?? 2); c++) {
      store.add(`${wlanMenu}/registration-table`, m([]), {
        dynamic: true,
        fixed: m([
          ['interface', name],
          ['mac-address', macFor(`${key}:${name}:client${c}`)],
          ['last-ip', `192.168.88.${100 + c}`],
        ]),
      });
    }
  }
  store.add(
    '/ip/address',
    m([
      ['address', `10.${third}.${fourth}.1/24`],
      ['interface', wan],
      ['network', `10.${third}.${fourth}.0`],
    ]),
  );
  for (let a = 1; a < (g.addresses ?? 1); a++) {
    store.add(
      '/ip/address',
      m([
        ['address', `172.${16 + (a >> 8)}.${a & 0xff}.1/24`],
        ['interface', lan],
        ['network', `172.${16 + (a >> 8)}.${a & 0xff}.0`],
      ]),
    );
  }
  store.add(
    '/ip/pool',
    m([
      ['name', 'dhcp'],
      ['ranges', '192.168.88.10-192.168.88.254'],
    ]),
  );
  store.add(
    '/ip/dhcp-server',
    m([
      ['address-pool', 'dhcp'],
      ['interface', lan],
      ['name', 'defconf'],
    ]),
  );
  for (let l = 1; l <= (g.dhcpLeases ?? 0); l++) {
    store.add('/ip/dhcp-server/lease', m([]), {
      dynamic: true,
      fixed: m([
        ['address', `192.168.88.${10 + (l % 240)}`],
        ['mac-address', macFor(`${key}:lease${l}`)],
        ['server', 'defconf'],
        ['host-name', `client-${l}`],
      ]),
    });
  }
  const rules = g.firewallRules ?? 3;
  for (let r = 0; r < rules; r++) {
    const args: Array<[string, string]> =
      r === 0
        ? [
            ['action', 'accept'],
            ['chain', 'input'],
            ['connection-state', 'established,related'],
          ]
        : r === rules - 1
          ? [
              ['action', 'drop'],
              ['chain', 'input'],
              ['in-interface', 'ether1'],
            ]
          : [
              ['action', 'accept'],
              ['chain', 'forward'],
              ['dst-port', String(1000 + r)],
              ['protocol', 'tcp'],
            ];
    store.add('/ip/firewall/filter', m(args));
  }
  store.add(
    '/ip/firewall/nat',
    m([
      ['action', 'masquerade'],
      ['chain', 'srcnat'],
      ['out-interface', 'ether1'],
    ]),
  );
  store.add(
    '/ip/route',
    m([
      ['distance', '1'],
      ['gateway', `10.${third}.${fourth}.254`],
    ]),
  );
}

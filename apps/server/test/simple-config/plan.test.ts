import { describe, expect, it } from 'vitest';
import type { PlannedCommand } from '../../src/features/changes/commands.js';
import { type FormOf, forms, type Tab } from '../../src/features/simple-config/forms.js';
import { type MenuRows, PlanError, type Row } from '../../src/features/simple-config/model.js';
import { planSimpleConfig, viewOf } from '../../src/features/simple-config/plan.js';
import { joinSecrets, splitSecrets } from '../../src/features/simple-config/request.js';

// planSimpleConfig is pure: rows as print gives them in, the fewest commands out (natural keys, never ids), or a
// PlanError naming the field the device cannot take. The end-to-end tests apply the same plans to simulated routers.

const iface = (name: string, type = 'ether'): Row => ({
  '.id': `*${name}`,
  name,
  type,
  running: 'true',
  disabled: 'false',
});
const base: MenuRows = {
  '/interface': [iface('ether1'), iface('ether2'), iface('bridge', 'bridge')],
  '/interface/list': [{ '.id': '*1', name: 'WAN' }],
};
const rows = (extra: Record<string, Row[]>): MenuRows => ({ ...base, ...extra });
const plan = <T extends Tab>(tab: T, form: unknown, r: MenuRows, v7 = true, loginUser?: string): PlannedCommand[] =>
  planSimpleConfig(tab, forms[tab].parse(form) as FormOf[T], r, { v7, ...(loginUser ? { loginUser } : {}) });
const lines = (cs: PlannedCommand[]) => cs.map((c) => c.cli);
const planError = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
  throw new Error('no PlanError');
};

describe('internet', () => {
  const staticWan = rows({
    '/ip/address': [
      { '.id': '*A', address: '10.0.0.1/24', interface: 'ether1', network: '10.0.0.0', dynamic: 'false' },
    ],
    '/ip/route': [
      { '.id': '*R', 'dst-address': '0.0.0.0/0', gateway: '10.0.0.254', dynamic: 'false', disabled: 'false' },
    ],
    '/ip/dns': [{ servers: '10.0.0.254' }],
  });

  it('reads a static WAN', () => {
    expect(viewOf('internet', staticWan, { v7: true }).form).toEqual({
      interface: 'ether1',
      mode: 'static',
      static: { address: '10.0.0.1/24', gateway: '10.0.0.254', dns_servers: ['10.0.0.254'] },
    });
  });

  it('static → PPPoE: the client added, the address and its default route removed, by natural keys', () => {
    const cs = plan(
      'internet',
      { interface: 'ether1', mode: 'pppoe', pppoe: { user: 'u', password: 'secret-1' } },
      staticWan,
    );
    expect(lines(cs)).toEqual([
      '/interface pppoe-client add name=pppoe-out1 interface=ether1 user=u service-name="" add-default-route=yes use-peer-dns=yes disabled=no password=secret-1',
      '/ip route remove [ find dst-address=0.0.0.0/0 gateway=10.0.0.254 ]',
      '/ip address remove [ find address=10.0.0.1/24 interface=ether1 ]',
    ]);
    expect(JSON.stringify(cs)).not.toContain('"*');
  });

  it('a new PPPoE client needs its password; an existing one keeps it', () => {
    expect(
      planError(() => plan('internet', { interface: 'ether1', mode: 'pppoe', pppoe: { user: 'u' } }, staticWan)).field,
    ).toBe('pppoe.password');
    const pppoe = rows({
      '/interface/pppoe-client': [
        {
          '.id': '*P',
          name: 'pppoe-out1',
          interface: 'ether1',
          user: 'u',
          'add-default-route': 'true',
          'use-peer-dns': 'true',
          disabled: 'false',
        },
      ],
    });
    expect(plan('internet', { interface: 'ether1', mode: 'pppoe', pppoe: { user: 'u' } }, pppoe)).toEqual([]);
    expect(lines(plan('internet', { interface: 'ether1', mode: 'pppoe', pppoe: { user: 'v' } }, pppoe))).toEqual([
      '/interface pppoe-client set [ find name=pppoe-out1 ] user=v',
    ]);
  });

  it('the same static WAN again is nothing to do; a new gateway replaces the route', () => {
    const same = { interface: 'ether1', mode: 'static', static: { address: '10.0.0.1/24', gateway: '10.0.0.254' } };
    expect(plan('internet', same, staticWan)).toEqual([]);
    expect(
      lines(
        plan('internet', { ...same, static: { ...same.static, gateway: '10.0.0.253', dns_servers: [] } }, staticWan),
      ),
    ).toEqual([
      '/ip route add dst-address=0.0.0.0/0 gateway=10.0.0.253',
      '/ip route remove [ find dst-address=0.0.0.0/0 gateway=10.0.0.254 ]',
      '/ip dns set servers=""',
    ]);
  });

  it('refuses an interface the device does not have, and a gateway outside the subnet', () => {
    expect(planError(() => plan('internet', { interface: 'ether9', mode: 'dhcp' }, staticWan)).field).toBe('interface');
    const r = forms.internet.safeParse({
      interface: 'ether1',
      mode: 'static',
      static: { address: '10.0.0.1/24', gateway: '10.9.0.1' },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['static', 'gateway']);
  });
});

describe('lan', () => {
  const defconf = rows({
    '/ip/address': [{ '.id': '*A', address: '192.168.88.1/24', interface: 'bridge', network: '192.168.88.0' }],
    '/ip/pool': [{ '.id': '*P', name: 'dhcp', ranges: '192.168.88.10-192.168.88.254' }],
    '/ip/dhcp-server': [
      {
        '.id': '*S',
        name: 'defconf',
        interface: 'bridge',
        'address-pool': 'dhcp',
        'lease-time': '30m',
        disabled: 'false',
      },
    ],
    '/ip/dhcp-server/network': [
      { '.id': '*N', address: '192.168.88.0/24', gateway: '192.168.88.1', 'dns-server': '192.168.88.1' },
    ],
  });
  const form = {
    interface: 'bridge',
    address: '192.168.88.1/24',
    dhcp_server: { enabled: true, pool_start: '192.168.88.10', pool_end: '192.168.88.254', lease_time_seconds: 1800 },
  };

  it('reads the defconf LAN, and planning it back is nothing to do', () => {
    expect(viewOf('lan', defconf, { v7: true }).form).toEqual({
      interface: 'bridge',
      address: '192.168.88.1/24',
      dhcp_server: {
        enabled: true,
        pool_start: '192.168.88.10',
        pool_end: '192.168.88.254',
        dns_servers: ['192.168.88.1'],
        lease_time_seconds: 1800,
      },
    });
    expect(plan('lan', form, defconf)).toEqual([]);
  });

  it('a new subnet: the address changed in place, the pool and network follow, the old network goes', () => {
    const cs = plan(
      'lan',
      {
        interface: 'bridge',
        address: '10.10.0.1/24',
        dhcp_server: { enabled: true, pool_start: '10.10.0.100', pool_end: '10.10.0.200', lease_time_seconds: 3600 },
      },
      defconf,
    );
    expect(lines(cs)).toEqual([
      '/ip address set [ find address=192.168.88.1/24 interface=bridge ] address=10.10.0.1/24 network=10.10.0.0',
      '/ip pool set [ find name=dhcp ] ranges=10.10.0.100-10.10.0.200',
      '/ip dhcp-server set [ find name=defconf ] lease-time=1h',
      '/ip dhcp-server network add address=10.10.0.0/24 dns-server=10.10.0.1 gateway=10.10.0.1',
      '/ip dhcp-server network remove [ find address=192.168.88.0/24 ]',
    ]);
  });

  it('a LAN without a DHCP server gets a pool and a server named after the interface', () => {
    const bare = rows({});
    const cs = plan(
      'lan',
      {
        interface: 'ether2',
        address: '172.16.5.1/24',
        dhcp_server: { enabled: true, pool_start: '172.16.5.50', pool_end: '172.16.5.99', dns_servers: ['1.1.1.1'] },
      },
      bare,
    );
    expect(lines(cs)).toEqual([
      '/ip address add address=172.16.5.1/24 interface=ether2 network=172.16.5.0',
      '/ip pool add name=pool-ether2 ranges=172.16.5.50-172.16.5.99',
      '/ip dhcp-server add name=dhcp-ether2 interface=ether2 address-pool=pool-ether2 disabled=no',
      '/ip dhcp-server network add address=172.16.5.0/24 dns-server=1.1.1.1 gateway=172.16.5.1',
    ]);
    expect(
      planError(() =>
        plan('lan', { interface: 'ether2', address: '172.16.5.1/24', dhcp_server: { enabled: true } }, bare),
      ).field,
    ).toBe('dhcp_server.pool_start');
  });

  it('refuses a pool outside the subnet or holding the router', () => {
    const bad = (d: object) =>
      forms.lan.safeParse({ interface: 'bridge', address: '192.168.88.1/24', dhcp_server: { enabled: true, ...d } });
    expect(bad({ pool_start: '192.168.89.10', pool_end: '192.168.89.20' }).success).toBe(false);
    expect(bad({ pool_start: '192.168.88.1', pool_end: '192.168.88.20' }).success).toBe(false);
    expect(bad({ pool_start: '192.168.88.30', pool_end: '192.168.88.20' }).success).toBe(false);
    expect(bad({ pool_start: '192.168.88.30', pool_end: '192.168.88.40' }).success).toBe(true);
  });
});

describe('wifi', () => {
  const v7 = rows({
    '/interface/wifi': [
      {
        '.id': '*W',
        name: 'wifi1',
        'configuration.ssid': 'old',
        'security.authentication-types': 'wpa2-psk',
        'security.passphrase': 'old-passphrase',
        disabled: 'false',
      },
    ],
  });
  const v6 = rows({
    '/interface/wireless': [
      { '.id': '*1', name: 'wlan1', ssid: 'old', band: '2ghz-b/g/n', frequency: '2412', disabled: 'false' },
      { '.id': '*2', name: 'wlan2', ssid: 'old5', band: '5ghz-a/n/ac', frequency: 'auto', disabled: 'false' },
    ],
    '/interface/wireless/security-profiles': [
      {
        '.id': '*9',
        name: 'default',
        default: 'true',
        mode: 'dynamic-keys',
        'authentication-types': 'wpa2-psk',
        'wpa2-pre-shared-key': 'shared-passphrase',
      },
    ],
  });

  it('v7 wifi: WPA2/WPA3 and SSID inline in one set; the passphrase never read back out', () => {
    const view = viewOf('wifi', v7, { v7: true });
    expect(view.form).toEqual({
      radios: [{ interface: 'wifi1', enabled: true, ssid: 'old', security: 'wpa2-psk', band: null, frequency: 'auto' }],
    });
    expect(view.secrets).toEqual({ 'radios.wifi1.passphrase': { set: true } });
    expect(JSON.stringify(view)).not.toContain('old-passphrase');
    const cs = plan(
      'wifi',
      { radios: [{ interface: 'wifi1', ssid: 'home', security: 'wpa2-wpa3-psk', band: '5ghz-ax', frequency: 5180 }] },
      v7,
    );
    expect(lines(cs)).toEqual([
      '/interface wifi set [ find name=wifi1 ] configuration.ssid=home channel.band=5ghz-ax channel.frequency=5180 security.authentication-types=wpa2-psk,wpa3-psk',
    ]);
  });

  it('legacy wireless: a radio on the shared default profile gets its own; WPA3 and wifi bands are refused', () => {
    const cs = plan(
      'wifi',
      { radios: [{ interface: 'wlan1', ssid: 'home', security: 'wpa2-psk', passphrase: 'a-new-passphrase' }] },
      v6,
      false,
    );
    expect(lines(cs)).toEqual([
      '/interface wireless security-profiles add name=tod-wlan1 mode=dynamic-keys authentication-types=wpa2-psk unicast-ciphers=aes-ccm group-ciphers=aes-ccm wpa2-pre-shared-key=a-new-passphrase',
      '/interface wireless set [ find name=wlan1 ] ssid=home security-profile=tod-wlan1',
    ]);
    // Only the SSID: the shared profile is left alone.
    expect(lines(plan('wifi', { radios: [{ interface: 'wlan2', ssid: 'x' }] }, v6, false))).toEqual([
      '/interface wireless set [ find name=wlan2 ] ssid=x',
    ]);
    expect(
      planError(() => plan('wifi', { radios: [{ interface: 'wlan1', security: 'wpa3-psk' }] }, v6, false)).field,
    ).toBe('radios.0.security');
    expect(planError(() => plan('wifi', { radios: [{ interface: 'wlan1', band: '5ghz-ax' }] }, v6, false)).field).toBe(
      'radios.0.band',
    );
    expect(planError(() => plan('wifi', { radios: [{ interface: 'wlan9' }] }, v6, false)).field).toBe(
      'radios.0.interface',
    );
  });

  it('WPA on a radio with no passphrase needs one', () => {
    const open = rows({
      '/interface/wifi': [{ '.id': '*W', name: 'wifi1', 'security.authentication-types': '', disabled: 'false' }],
    });
    expect(planError(() => plan('wifi', { radios: [{ interface: 'wifi1', security: 'wpa2-psk' }] }, open)).field).toBe(
      'radios.0.passphrase',
    );
    expect(forms.wifi.safeParse({ radios: [{ interface: 'wifi1', passphrase: 'short' }] }).success).toBe(false);
  });
});

describe('port forwarding', () => {
  const nat = rows({
    '/ip/firewall/nat': [
      { '.id': '*1', chain: 'srcnat', action: 'masquerade', 'out-interface': 'ether1' },
      {
        '.id': '*2',
        chain: 'dstnat',
        action: 'dst-nat',
        protocol: 'tcp',
        'dst-port': '8080',
        'in-interface': 'ether1',
        'to-addresses': '192.168.88.10',
        'to-ports': '80',
        comment: 'tod-pf:web',
        disabled: 'false',
      },
      {
        '.id': '*3',
        chain: 'dstnat',
        action: 'dst-nat',
        protocol: 'udp',
        'dst-port': '27015',
        'in-interface': 'ether1',
        'to-addresses': '192.168.88.11',
        comment: 'tod-pf:game',
        disabled: 'false',
      },
      {
        '.id': '*4',
        chain: 'dstnat',
        action: 'dst-nat',
        protocol: 'tcp',
        'dst-port': '25',
        'to-addresses': '192.168.88.2',
        comment: 'mail (by hand)',
      },
    ],
  });

  it('reads TOD’s rules as the form and shows the others', () => {
    const v = viewOf('port-forwarding', nat, { v7: true });
    expect(v.form.wan_interface).toBe('ether1');
    expect(v.form.rules).toEqual([
      {
        name: 'web',
        protocol: 'tcp',
        external_port: '8080',
        internal_address: '192.168.88.10',
        internal_port: '80',
        enabled: true,
      },
      {
        name: 'game',
        protocol: 'udp',
        external_port: '27015',
        internal_address: '192.168.88.11',
        internal_port: '27015',
        enabled: true,
      },
    ]);
    expect((v.state.other_rules as unknown[]).length).toBe(1);
  });

  it('changes, removes and adds only TOD’s rules, keyed by chain and comment', () => {
    const cs = plan(
      'port-forwarding',
      {
        wan_interface: 'WAN',
        rules: [
          {
            name: 'web',
            protocol: 'tcp',
            external_port: '8443',
            internal_address: '192.168.88.10',
            internal_port: '443',
          },
          {
            name: 'ssh',
            protocol: 'tcp',
            external_port: '2222',
            internal_address: '192.168.88.12',
            internal_port: '22',
            enabled: false,
          },
        ],
      },
      nat,
    );
    expect(lines(cs)).toEqual([
      '/ip firewall nat remove [ find chain=dstnat comment=tod-pf:game ]',
      '/ip firewall nat set [ find chain=dstnat comment=tod-pf:web ] dst-port=8443 in-interface-list=WAN to-ports=443',
      '/ip firewall nat unset [ find chain=dstnat comment=tod-pf:web ] value-name=in-interface',
      '/ip firewall nat add chain=dstnat action=dst-nat protocol=tcp dst-port=2222 in-interface-list=WAN to-addresses=192.168.88.12 to-ports=22 disabled=yes comment=tod-pf:ssh',
    ]);
  });
});

describe('firewall', () => {
  const form = { enabled: true, wan_interface: 'ether1', allowed_services: ['winbox', 'ssh'], block_ping: true };
  const service = (name: string, port: string): Row => ({ '.id': `*${name}`, name, port, disabled: 'false' });
  const r0 = rows({
    '/ip/firewall/filter': [{ '.id': '*1', chain: 'input', action: 'accept', protocol: 'tcp', 'dst-port': '8728' }],
    '/ip/service': [service('ssh', '2200'), service('winbox', '8291')],
  });

  it('adds the rules in order, each before the next of TOD’s in its chain, with the device’s service ports', () => {
    expect(lines(plan('firewall', form, r0))).toEqual([
      '/ip firewall filter add chain=forward action=drop connection-state=new connection-nat-state=!dstnat in-interface=ether1 comment="tod-fw:forward drop wan"',
      '/ip firewall filter add chain=forward action=drop connection-state=invalid comment="tod-fw:forward invalid" place-before=[ find chain=forward comment="tod-fw:forward drop wan" ]',
      '/ip firewall filter add chain=forward action=accept connection-state=established,related,untracked comment="tod-fw:forward established" place-before=[ find chain=forward comment="tod-fw:forward invalid" ]',
      '/ip firewall filter add chain=input action=drop in-interface=ether1 comment="tod-fw:input drop wan"',
      '/ip firewall filter add chain=input action=accept protocol=tcp dst-port=8291 in-interface=ether1 comment="tod-fw:input allow winbox" place-before=[ find chain=input comment="tod-fw:input drop wan" ]',
      '/ip firewall filter add chain=input action=accept protocol=tcp dst-port=2200 in-interface=ether1 comment="tod-fw:input allow ssh" place-before=[ find chain=input comment="tod-fw:input allow winbox" ]',
      '/ip firewall filter add chain=input action=drop protocol=icmp in-interface=ether1 comment="tod-fw:input ping" place-before=[ find chain=input comment="tod-fw:input allow ssh" ]',
      '/ip firewall filter add chain=input action=drop connection-state=invalid comment="tod-fw:input invalid" place-before=[ find chain=input comment="tod-fw:input ping" ]',
      '/ip firewall filter add chain=input action=accept connection-state=established,related,untracked comment="tod-fw:input established" place-before=[ find chain=input comment="tod-fw:input invalid" ]',
    ]);
  });

  it('applied once, the same form is nothing to do; a change touches only what differs; disabled removes them all', () => {
    const applied = simulate(r0, plan('firewall', form, r0));
    expect(plan('firewall', form, applied)).toEqual([]);
    expect(lines(plan('firewall', { ...form, allowed_services: ['ssh'], block_ping: false }, applied))).toEqual([
      '/ip firewall filter remove [ find chain=input comment="tod-fw:input allow winbox" ]',
      '/ip firewall filter set [ find chain=input comment="tod-fw:input ping" ] action=accept',
    ]);
    const off = plan('firewall', { ...form, enabled: false }, applied);
    expect(off.every((c) => c.verb === 'remove')).toBe(true);
    expect(off).toHaveLength(9);
  });

  it('puts TOD’s rules back in order when someone moved them', () => {
    const applied = simulate(r0, plan('firewall', form, r0));
    const filter = [...(applied['/ip/firewall/filter'] ?? [])];
    const i = filter.findIndex((r) => r.comment === 'tod-fw:input established');
    const [moved] = filter.splice(i, 1);
    filter.push(moved as Row);
    const cs = plan('firewall', form, { ...applied, '/ip/firewall/filter': filter });
    expect(cs.every((c) => c.verb === 'move')).toBe(true);
    expect(order(simulate({ ...applied, '/ip/firewall/filter': filter }, cs))).toEqual(order(applied));
  });
});

describe('dns and system', () => {
  it('DNS: servers and plain static entries; other entries untouched', () => {
    const r = rows({
      '/ip/dns': [{ servers: '8.8.8.8', 'allow-remote-requests': 'false' }],
      '/ip/dns/static': [
        { '.id': '*1', name: 'nas.lan', address: '192.168.88.5' },
        { '.id': '*2', name: 'old.lan', address: '192.168.88.9' },
        { '.id': '*3', regexp: '.*\\.ads\\..*', address: '0.0.0.0' },
      ],
    });
    expect(
      lines(
        plan(
          'dns',
          {
            servers: ['9.9.9.9'],
            allow_remote_requests: true,
            static: [
              { name: 'nas.lan', address: '192.168.88.5' },
              { name: 'tv.lan', address: '192.168.88.7' },
            ],
          },
          r,
        ),
      ),
    ).toEqual([
      '/ip dns set servers=9.9.9.9 allow-remote-requests=yes',
      '/ip dns static remove [ find name=old.lan address=192.168.88.9 ]',
      '/ip dns static add name=tv.lan address=192.168.88.7',
    ]);
    expect(plan('dns', { servers: ['8.8.8.8'] }, r)).toEqual([]);
  });

  it('NTP on v6 (two addresses, names apart) and v7 (its servers menu)', () => {
    const v6 = rows({
      '/system/ntp/client': [{ enabled: 'false', 'primary-ntp': '0.0.0.0', 'secondary-ntp': '0.0.0.0' }],
    });
    expect(
      lines(plan('system', { ntp: { enabled: true, servers: ['192.0.2.1', 'pool.ntp.org'] } }, v6, false)),
    ).toEqual(['/system ntp client set enabled=yes primary-ntp=192.0.2.1 server-dns-names=pool.ntp.org']);
    expect(
      planError(() =>
        plan('system', { ntp: { enabled: true, servers: ['192.0.2.1', '192.0.2.2', '192.0.2.3'] } }, v6, false),
      ).field,
    ).toBe('ntp.servers');
    const v7 = rows({
      '/system/ntp/client': [{ enabled: 'true' }],
      '/system/ntp/client/servers': [{ '.id': '*1', address: 'old.example.org' }],
    });
    expect(lines(plan('system', { ntp: { enabled: true, servers: ['192.0.2.1'] } }, v7))).toEqual([
      '/system ntp client servers remove [ find address=old.example.org ]',
      '/system ntp client servers add address=192.0.2.1',
    ]);
  });

  it('identity, time zone, and a password for a user other than TOD’s own login', () => {
    const r = rows({
      '/system/identity': [{ name: 'MikroTik' }],
      '/system/clock': [{ 'time-zone-name': 'UTC', 'time-zone-autodetect': 'true' }],
      '/user': [
        { '.id': '*1', name: 'admin', group: 'full' },
        { '.id': '*2', name: 'ops', group: 'full' },
      ],
    });
    expect(
      lines(
        plan(
          'system',
          { identity: 'edge', time_zone: 'Europe/Berlin', admin_password: { user: 'ops', password: 'n3w-pass' } },
          r,
          true,
          'admin',
        ),
      ),
    ).toEqual([
      '/system identity set name=edge',
      '/system clock set time-zone-name=Europe/Berlin time-zone-autodetect=no',
      '/user set [ find name=ops ] password=n3w-pass',
    ]);
    expect(
      planError(() => plan('system', { admin_password: { user: 'admin', password: 'x' } }, r, true, 'admin')).field,
    ).toBe('admin_password.user');
    expect(
      planError(() => plan('system', { admin_password: { user: 'nobody', password: 'x' } }, r, true, 'admin')).field,
    ).toBe('admin_password.user');
    expect(forms.system.safeParse({ time_zone: 'Mars/Olympus' }).success).toBe(false);
    expect(forms.system.safeParse({}).success).toBe(false);
  });
});

describe('secrets', () => {
  it('are taken out of a form by path and put back', () => {
    const form = {
      interface: 'ether1',
      mode: 'pppoe',
      pppoe: { user: 'u', password: 'p1' },
      radios: [{ passphrase: 'p2' }],
    };
    const { form: bare, secrets } = splitSecrets(form);
    expect(secrets).toEqual({ 'pppoe.password': 'p1', 'radios.0.passphrase': 'p2' });
    expect(JSON.stringify(bare)).not.toMatch(/p1|p2/);
    expect(joinSecrets(bare, secrets)).toEqual(form);
  });
});

/** The rows after the commands, as a router would have them (for the firewall's order: enough of add/set/move/remove). */
function simulate(r: MenuRows, cs: PlannedCommand[]): MenuRows {
  const out: Record<string, Row[]> = Object.fromEntries(
    Object.entries(r).map(([k, v]) => [k, [...(v ?? [])].map((x) => ({ ...x }))]),
  );
  let id = 100;
  const find = (rowsIn: Row[], w: Record<string, string>) =>
    rowsIn.findIndex((x) => Object.entries(w).every(([k, v]) => x[k] === v));
  for (const c of cs) {
    const list = out[c.path] ?? [];
    out[c.path] = list;
    if (c.verb === 'add') {
      const row = { '.id': `*${id++}`, disabled: 'false', ...c.properties };
      const at = c.destination ? find(list, c.destination) : -1;
      if (at >= 0) list.splice(at, 0, row);
      else list.push(row);
    } else if (c.verb === 'remove') {
      const at = find(list, c.where ?? {});
      if (at >= 0) list.splice(at, 1);
    } else if (c.verb === 'set') Object.assign(list[find(list, c.where ?? {})] as Row, c.properties);
    else if (c.verb === 'move') {
      const [row] = list.splice(find(list, c.where ?? {}), 1);
      list.splice(find(list, c.destination ?? {}), 0, row as Row);
    }
  }
  return out;
}
const order = (r: MenuRows) =>
  (r['/ip/firewall/filter'] ?? []).map((x) => `${x.chain} ${x.comment ?? ''}`).filter((x) => x.includes('tod-fw'));

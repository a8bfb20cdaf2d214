// The menus TOD's Simple Config changes, as RouterOS 6.49 and 7.16 take them: add/set/remove over the API, what each
// version refuses (a wrong version's properties, unknown values, dangling references), and what print shows.
import { q, TrapError } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';

let fleet: Fleet;
const V6 = 0;
const V7 = 1;
const V7_LEGACY = 2;
beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    sshPort: false,
    specs: [
      { version: '6.49.10', generate: { wireless: 1 } },
      { version: '7.16', generate: { wireless: 1 } },
      { version: '7.16', generate: { wireless: 1, wirelessPackage: 'wireless' } },
    ],
  });
});
afterAll(() => fleet.stop());

async function on<T>(index: number, fn: (c: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const c = await connect(fleet.devices[index]!);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}
const refused = (p: Promise<unknown>, message: RegExp) =>
  expect(p).rejects.toSatisfy((e) => e instanceof TrapError && message.test(e.trapMessage));

describe.each([
  ['6.49', V6],
  ['7.16', V7],
])('RouterOS %s', (_v, index) => {
  it('DHCP client: add, set, remove; needs an existing interface', () =>
    on(index, async (c) => {
      await refused(c.command('/ip/dhcp-client/add', { 'use-peer-dns': 'yes' }), /interface must be set/);
      await refused(c.command('/ip/dhcp-client/add', { interface: 'nope' }), /any value of interface/);
      await c.command('/ip/dhcp-client/add', { interface: 'ether1', 'add-default-route': 'yes', disabled: 'no' });
      const [row] = await c.command('/ip/dhcp-client/print', {}, { query: q.eq('interface', 'ether1') });
      expect(row).toMatchObject({ interface: 'ether1', 'add-default-route': 'true', disabled: 'false' });
      await c.command('/ip/dhcp-client/set', { numbers: row!['.id']!, 'use-peer-dns': 'no' });
      expect((await c.command('/ip/dhcp-client/print'))[0]?.['use-peer-dns']).toBe('false');
      await c.command('/ip/dhcp-client/remove', { numbers: row!['.id']! });
      expect(await c.command('/ip/dhcp-client/print')).toEqual([]);
    }));

  it('PPPoE client: an interface named once, its password shown only to the sensitive policy', () =>
    on(index, async (c) => {
      await c.command('/interface/pppoe-client/add', {
        name: 'pppoe-out1',
        interface: 'ether1',
        user: 'isp-user',
        password: 'isp-secret',
        'add-default-route': 'yes',
      });
      await refused(
        c.command('/interface/pppoe-client/add', { name: 'pppoe-out1', interface: 'ether2' }),
        /already exists/,
      );
      const [row] = await c.command('/interface/pppoe-client/print');
      expect(row).toMatchObject({ name: 'pppoe-out1', user: 'isp-user', password: 'isp-secret' });
      expect((await c.command('/interface/print')).some((r) => r.name === 'pppoe-out1' && r.type === 'pppoe-out')).toBe(
        true,
      );
      await c.command('/interface/pppoe-client/remove', { numbers: 'pppoe-out1' });
      expect(await c.command('/interface/pppoe-client/print')).toEqual([]);
    }));

  it('pool, DHCP server (its pool must exist) and network', () =>
    on(index, async (c) => {
      await refused(
        c.command('/ip/dhcp-server/add', { name: 'lan', interface: 'ether2', 'address-pool': 'no-pool' }),
        /any value of address-pool/,
      );
      await c.command('/ip/pool/add', { name: 'lan-pool', ranges: '192.168.50.10-192.168.50.200' });
      await c.command('/ip/dhcp-server/add', { name: 'lan', interface: 'ether2', 'address-pool': 'lan-pool' });
      await c.command('/ip/dhcp-server/network/add', { address: '192.168.50.0/24', gateway: '192.168.50.1' });
      await c.command('/ip/dhcp-server/set', { numbers: 'lan', 'lease-time': '1h', disabled: 'yes' });
      const server = (await c.command('/ip/dhcp-server/print')).find((r) => r.name === 'lan');
      expect(server).toMatchObject({ 'address-pool': 'lan-pool', 'lease-time': '1h', disabled: 'true' });
      const nets = await c.command('/ip/dhcp-server/network/print');
      await c.command('/ip/dhcp-server/network/remove', { numbers: nets[0]!['.id']! });
      await c.command('/ip/dhcp-server/remove', { numbers: 'lan' });
      await c.command('/ip/pool/remove', { numbers: 'lan-pool' });
    }));

  it('dst-nat rules, DNS settings and static entries, identity', () =>
    on(index, async (c) => {
      await c.command('/ip/firewall/nat/add', {
        chain: 'dstnat',
        action: 'dst-nat',
        protocol: 'tcp',
        'dst-port': '8080',
        'to-addresses': '192.168.88.10',
        'to-ports': '80',
        comment: 'web',
      });
      const nat = (await c.command('/ip/firewall/nat/print')).find((r) => r.comment === 'web');
      expect(nat).toMatchObject({ action: 'dst-nat', 'to-ports': '80' });
      await c.command('/ip/firewall/nat/remove', { numbers: nat!['.id']! });
      await c.command('/ip/dns/set', { servers: '9.9.9.9,1.1.1.1', 'allow-remote-requests': 'yes' });
      expect((await c.command('/ip/dns/print'))[0]).toMatchObject({
        servers: '9.9.9.9,1.1.1.1',
        'allow-remote-requests': 'true',
      });
      await c.command('/ip/dns/static/add', { name: 'nas.lan', address: '192.168.88.5' });
      const st = await c.command('/ip/dns/static/print');
      expect(st).toHaveLength(1);
      await c.command('/ip/dns/static/remove', { numbers: st[0]!['.id']! });
      await c.command('/system/identity/set', { name: 'renamed' });
      expect((await c.command('/system/identity/print'))[0]?.name).toBe('renamed');
    }));

  it('the clock takes a time zone RouterOS knows, and refuses another', () =>
    on(index, async (c) => {
      await c.command('/system/clock/set', { 'time-zone-name': 'Europe/Berlin', 'time-zone-autodetect': 'no' });
      expect((await c.command('/system/clock/print'))[0]).toMatchObject({
        'time-zone-name': 'Europe/Berlin',
        'time-zone-autodetect': 'false',
      });
      await refused(c.command('/system/clock/set', { 'time-zone-name': 'Mars/Olympus' }), /time-zone-name/);
      await refused(c.command('/system/clock/set', { colour: 'red' }), /unknown parameter colour/);
    }));

  it('a user’s password: set, never printed, and the new one logs in', () =>
    on(index, async (c) => {
      await c.command('/user/add', { name: 'ops', group: 'full', password: 'first-password' });
      await c.command('/user/set', { numbers: 'ops', password: 'second-password' });
      const row = (await c.command('/user/print')).find((r) => r.name === 'ops');
      expect(row).toBeDefined();
      expect(row).not.toHaveProperty('password');
      const d = fleet.devices[index]!;
      const ops = await connect({ ...d, username: 'ops', password: 'second-password' });
      await ops.close();
      await expect(connect({ ...d, username: 'ops', password: 'first-password' })).rejects.toThrow();
    }));

  it('default routes print their destination', () =>
    on(index, async (c) => {
      const rows = await c.command('/ip/route/print', {}, { query: q.eq('dst-address', '0.0.0.0/0') });
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0]?.gateway).toMatch(/^10\./);
    }));
});

describe('NTP client: v6 names servers by address, v7 in its servers menu', () => {
  it('6.49', () =>
    on(V6, async (c) => {
      await c.command('/system/ntp/client/set', {
        enabled: 'yes',
        'primary-ntp': '192.0.2.1',
        'secondary-ntp': '0.0.0.0',
        'server-dns-names': 'time.example.org',
      });
      expect((await c.command('/system/ntp/client/print'))[0]).toMatchObject({
        enabled: 'true',
        'primary-ntp': '192.0.2.1',
        'server-dns-names': 'time.example.org',
      });
      await refused(c.command('/system/ntp/client/set', { 'primary-ntp': 'time.example.org' }), /primary-ntp/);
      await refused(c.command('/system/ntp/client/set', { servers: '192.0.2.1' }), /unknown parameter servers/);
      await refused(c.command('/system/ntp/client/servers/print'), /no such command/);
    }));
  it('7.16', () =>
    on(V7, async (c) => {
      await c.command('/system/ntp/client/set', { enabled: 'yes' });
      await refused(c.command('/system/ntp/client/set', { 'primary-ntp': '192.0.2.1' }), /unknown parameter/);
      await c.command('/system/ntp/client/servers/add', { address: 'time.example.org' });
      await refused(c.command('/system/ntp/client/servers/add', {}), /address must be set/);
      const rows = await c.command('/system/ntp/client/servers/print');
      expect(rows.map((r) => r.address)).toEqual(['time.example.org']);
      await c.command('/system/ntp/client/servers/remove', { numbers: rows[0]!['.id']! });
    }));
});

describe('wireless', () => {
  it('6.49: the default security profile; WPA2 PSK profiles; WPA3 refused; a radio needs an existing profile', () =>
    on(V6, async (c) => {
      const [def] = await c.command('/interface/wireless/security-profiles/print');
      expect(def).toMatchObject({ name: 'default', default: 'true', mode: 'none' });
      await refused(
        c.command('/interface/wireless/security-profiles/add', {
          name: 'p3',
          mode: 'dynamic-keys',
          'authentication-types': 'wpa3-psk',
        }),
        /authentication-types/,
      );
      await refused(
        c.command('/interface/wireless/security-profiles/add', { name: 'short', 'wpa2-pre-shared-key': 'abc' }),
        /wpa2-pre-shared-key/,
      );
      await refused(
        c.command('/interface/wireless/set', { numbers: 'wlan1', 'security-profile': 'nope' }),
        /security-profile/,
      );
      await c.command('/interface/wireless/security-profiles/add', {
        name: 'home',
        mode: 'dynamic-keys',
        'authentication-types': 'wpa2-psk',
        'wpa2-pre-shared-key': 'a-long-passphrase',
      });
      await c.command('/interface/wireless/set', { numbers: 'wlan1', 'security-profile': 'home', ssid: 'home-net' });
      const [w] = await c.command('/interface/wireless/print');
      expect(w).toMatchObject({ name: 'wlan1', ssid: 'home-net', 'security-profile': 'home' });
      await c.command('/interface/wireless/security-profiles/set', { numbers: 'default', mode: 'dynamic-keys' });
      await c.command('/export', { file: 'wl' });
      expect(fleet.device(V6).fileContents('wl.rsc')).toMatch(/security-profiles\nset default mode=dynamic-keys/);
      await refused(c.command('/interface/wifi/print'), /no such command/);
    }));

  it('7.16 wifi: WPA2/WPA3 and the passphrase inline; unknown types refused; no legacy menus', () =>
    on(V7, async (c) => {
      await c.command('/interface/wifi/set', {
        numbers: 'wlan1',
        'configuration.ssid': 'home-net',
        'security.authentication-types': 'wpa2-psk,wpa3-psk',
        'security.passphrase': 'a-long-passphrase',
        'channel.band': '5ghz-ax',
      });
      const [w] = await c.command('/interface/wifi/print');
      expect(w).toMatchObject({
        'configuration.ssid': 'home-net',
        'security.authentication-types': 'wpa2-psk,wpa3-psk',
        'security.passphrase': 'a-long-passphrase',
      });
      await refused(
        c.command('/interface/wifi/set', { numbers: 'wlan1', 'security.authentication-types': 'wpa4-psk' }),
        /authentication-types/,
      );
      await refused(c.command('/interface/wireless/security-profiles/print'), /no such command/);
      await refused(c.command('/interface/wireless/security-profiles/add', { name: 'x' }), /no such command/);
    }));

  it('7.16 with the legacy wireless package: security profiles, the radio in wireless, none in wifi', () =>
    on(V7_LEGACY, async (c) => {
      const [def] = await c.command('/interface/wireless/security-profiles/print');
      expect(def).toMatchObject({ name: 'default', default: 'true' });
      expect((await c.command('/interface/wireless/print'))[0]?.name).toBe('wlan1');
      expect((await c.command('/interface/print')).find((r) => r.name === 'wlan1')?.type).toBe('wlan');
      expect(await c.command('/interface/wifi/print')).toEqual([]);
    }));
});

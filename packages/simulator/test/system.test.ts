// Smaller system menus: package update check, users without the api policy, v6 32-bit registration counters,
// /file and /log basics, generated configuration sizes.
import { q } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Device, type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';

let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    specs: [
      {
        version: '7.16',
        latestVersion: '7.19.4',
        users: [
          { name: 'admin', password: 'p' },
          { name: 'nope', password: 'n', group: 'noapi' },
        ],
      },
      {
        version: '6.49.10',
        users: [{ name: 'admin', password: 'p' }],
        uptimeMs: 30 * 86_400_000,
        generate: { wireless: 1, wirelessClients: 3 },
      },
    ],
  });
});
afterAll(() => fleet.stop());

describe('system', () => {
  it('/system/package/update: check-for-updates reports the configured latest version', async () => {
    const c = await connect(fleet.devices[0]!);
    const [before] = await c.command('/system/package/update/print');
    expect(before).toEqual({ channel: 'stable', 'installed-version': '7.16' });
    const rows = await c.command('/system/package/update/check-for-updates');
    expect(rows.at(-1)).toMatchObject({
      'installed-version': '7.16',
      'latest-version': '7.19.4',
      status: 'New version is available',
    });
    const [after] = await c.command('/system/package/update/print');
    expect(after?.['latest-version']).toBe('7.19.4');
    await c.close();
  });

  it('a user whose group lacks the api policy cannot log in over the API', async () => {
    const admin = await connect(fleet.devices[0]!);
    await admin.command('/user/group/add', { name: 'noapi', policy: 'read,winbox,!api' });
    const users = await admin.command('/user/print');
    expect(users.map((u) => u.name)).toEqual(['admin', 'nope']);
    for (const u of users) expect(u).not.toHaveProperty('password');
    await admin.close();
    await expect(connect({ ...fleet.devices[0]!, username: 'nope', password: 'n' })).rejects.toThrow(
      /invalid user name or password/,
    );
  });

  it('v6 registration-table byte counters are 32-bit (they wrap at 2^32)', async () => {
    const c = await connect(fleet.devices[1]!);
    const rows = await c.command('/interface/wireless/registration-table/print');
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      for (const n of (r.bytes ?? '').split(',')) expect(BigInt(n)).toBeLessThan(1n << 32n);
    }
    await c.close();
  });

  it('/log/print has the login and config-change entries with topics', async () => {
    const c = await connect(fleet.devices[1]!);
    await c.command('/system/identity/set', { name: 'logged' });
    const log = await c.command('/log/print', undefined, { query: q.eq('topics', 'system,info,account') });
    expect(log.at(-1)?.message).toMatch(/^user admin logged in from 127\.0\.0\.1 via api$/);
    await c.close();
  });

  it('generated configurations have the asked size', () => {
    const d = new Device({ generate: { interfaces: 24, vlans: 10, firewallRules: 200, addresses: 5, dhcpLeases: 50 } });
    expect(d.store.menu('/interface/ethernet')?.items).toHaveLength(24);
    expect(d.store.menu('/interface/vlan')?.items).toHaveLength(10);
    expect(d.store.menu('/ip/firewall/filter')?.items).toHaveLength(200);
    expect(d.store.menu('/ip/address')?.items).toHaveLength(5);
    expect(d.store.menu('/ip/dhcp-server/lease')?.items).toHaveLength(50);
  });
});

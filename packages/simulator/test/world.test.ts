// The physical world, seen through `/ip/neighbor` and `/interface print` over real API sockets: neighbour rows per
// version (v6 without `discovered-by`, 6.43 naming the bridge alone, 7.5 without `discovered-by`, 7.16 with it),
// bridge ports as `ether2,bridge` / `bridge/ether2`, MNDP heard through bridges (not adjacent), an LLDP switch and
// an unmanaged MikroTik; a cable pulled: both ports stop running, entries age out after the hold time; a device
// rebooting: gone from its neighbours' tables, its own table forgotten; expectedEdges agrees with the tables;
// spec mistakes are clear errors.
import type { RouterOSClient, Row } from '@tod/routeros';
import { q } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet, WorldError, type WorldSpec } from '../src/index.js';
import { connect, waitFor } from './helpers.js';

const SWITCH_MAC = '00:1B:54:AA:10:01';
const OTHER_MT = '64:D1:54:01:02:03';

const world: WorldSpec = {
  cables: [
    { id: 'c01', a: [0, 'ether2'], b: [1, 'ether1'] },
    { id: 'c02', a: [0, 'ether3'], b: [2, 'ether1'] },
    { id: 'c03', a: [0, 'ether4'], b: [3, 'ether1'] },
    { id: 'c14', a: [1, 'ether2'], b: [4, 'ether1'] },
    { id: 'c24', a: [2, 'ether2'], b: [4, 'ether2'] },
  ],
  unmanaged: [
    {
      id: 'switch',
      identity: 'floor-sw',
      mac: SWITCH_MAC,
      platform: 'Cisco',
      version: '15.2(7)E4',
      description: 'Cisco IOS Software, C2960X',
      systemCaps: 'bridge,router',
      address: '192.0.2.9',
      attach: [4, 'ether3'],
      ports: ['Gi1/0/24'],
    },
    {
      id: 'lobby',
      identity: 'lobby-hap',
      mac: OTHER_MT,
      protocols: ['cdp', 'lldp', 'mndp'],
      version: '6.49.7 (stable)',
      attach: [3, 'ether2'],
    },
  ],
  discovery: { intervalMs: 100, holdMs: 400 },
};

let fleet: Fleet;
const clients: RouterOSClient[] = [];
const users = [{ name: 'admin', password: 'w' }];

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    sshPort: false,
    base: { users, rebootDelayMs: 300, uptimeMs: 86_400_000 },
    specs: [
      { identity: 'r7', version: '7.16' },
      { identity: 'r6', version: '6.49.10' },
      { identity: 'old', version: '6.43.8' },
      { identity: 'r75', version: '7.5', rebootDelayMs: 1500 },
      { identity: 'leaf', version: '7.16' },
    ],
    topology: world,
  });
  for (const d of fleet.devices) clients.push(await connect(d));
});
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await fleet.stop();
});

const neighbors = (i: number) => clients[i]!.command('/ip/neighbor/print');
const byIdentity = (rows: Row[], id: string) => rows.filter((r) => r.identity === id);
const running = async (i: number, port: string) =>
  (await clients[i]!.command('/interface/print', undefined, { query: q.eq('name', port) }))[0]?.running;
const macOf = async (i: number, name: string) =>
  (await clients[i]!.command('/interface/print', undefined, { query: q.eq('name', name) }))[0]?.['mac-address'];

describe('neighbour rows per version', () => {
  it('v7.16: the port with its bridge, the remote bridge port, discovered-by, build time in the version', async () => {
    const rows = await neighbors(4);
    const [r6] = byIdentity(rows, 'r6');
    expect(r6).toMatchObject({
      interface: 'ether1',
      'mac-address': await macOf(1, 'bridge'),
      platform: 'MikroTik',
      version: '6.49.10 (stable)',
      board: 'RBD52G-5HacD2HnD',
      unpack: 'none',
      'interface-name': 'bridge/ether2',
      'system-description': 'MikroTik RouterOS 6.49.10 (stable) RBD52G-5HacD2HnD',
      'system-caps': 'bridge,router',
      'system-caps-enabled': 'bridge,router',
      'discovered-by': 'cdp,lldp,mndp',
    });
    expect(r6?.uptime).toMatch(/^(1d|23h59m)/);
    expect(r6?.age).toMatch(/^(\d+ms|0s)$/);
    expect(r6).not.toHaveProperty('ipv6');
    // A v7 neighbour announces IPv6 and its build time.
    const [r7] = byIdentity(await neighbors(1), 'r7');
    expect(r7).toMatchObject({ version: '7.16 (stable) 2024-09-20 13:00:27', ipv6: 'true' });
    expect(r7?.address6).toMatch(/^fe80::/);
  });

  it('v6: no discovered-by; a neighbour before 6.44 names its bridge alone, and so does a receiver before 6.44', async () => {
    const r6 = await neighbors(1);
    for (const r of r6) expect(r).not.toHaveProperty('discovered-by');
    const [leafOnOld] = byIdentity(await neighbors(2), 'leaf');
    expect(leafOnOld).toMatchObject({ interface: 'bridge', 'interface-name': 'bridge/ether2' });
    const [oldOnLeaf] = byIdentity(await neighbors(4), 'old');
    expect(oldOnLeaf).toMatchObject({ interface: 'ether2,bridge', 'interface-name': 'bridge' });
  });

  it('7.5 has no discovered-by (from 7.7)', async () => {
    for (const r of await neighbors(3)) expect(r).not.toHaveProperty('discovered-by');
    expect(byIdentity(await neighbors(3), 'r7')).toHaveLength(1);
  });

  it('MNDP crosses bridges: r6 hears every MikroTik behind r7 on the same port, by MNDP only', async () => {
    const rows = await neighbors(1);
    const onEther1 = rows.filter((r) => r.interface === 'ether1').map((r) => r.identity);
    expect(onEther1.sort()).toEqual(['old', 'r7', 'r75']);
    // Relayed entries carry no LLDP/CDP data (r6 is v6: no discovered-by; on v7 they say mndp).
    expect(byIdentity(rows, 'r75')[0]).toMatchObject({ 'system-caps': '', 'system-caps-enabled': '' });
    expect(byIdentity(rows, 'r75')[0]).not.toHaveProperty('system-description');
    const onR7 = await neighbors(0);
    expect(byIdentity(onR7, 'leaf')).toEqual([]); // r6's ether1 is not bridged to its ether2: leaf stays behind it
    const relayed = fleet.world!.neighbors(1).filter((n) => !n.adjacent);
    expect(relayed.map((n) => n.identity).sort()).toEqual(['old', 'r75']);
    // The unmanaged MikroTik hangs off r75's bridge, which does not include r75's uplink: r6 never hears it.
    expect(byIdentity(rows, 'lobby-hap')).toEqual([]);
  });

  it('an LLDP switch and an unmanaged MikroTik appear as what they announce', async () => {
    const [sw] = byIdentity(await neighbors(4), 'floor-sw');
    expect(sw).toEqual({
      '.id': sw?.['.id'],
      interface: 'ether3,bridge',
      address: '192.0.2.9',
      address4: '192.0.2.9',
      'mac-address': SWITCH_MAC,
      identity: 'floor-sw',
      platform: 'Cisco',
      version: '15.2(7)E4',
      unpack: 'none',
      age: sw?.age,
      'interface-name': 'Gi1/0/24',
      'system-description': 'Cisco IOS Software, C2960X',
      'system-caps': 'bridge,router',
      'system-caps-enabled': 'bridge,router',
      'discovered-by': 'lldp',
    });
    const [lobby] = byIdentity(await neighbors(3), 'lobby-hap');
    expect(lobby).toMatchObject({ 'mac-address': OTHER_MT, platform: 'MikroTik', interface: 'ether2,bridge' });
    expect(lobby).toHaveProperty('uptime');
  });
});

describe('expectedEdges', () => {
  it('is exactly the managed pairs the cables join, and the adjacent entries of every table', async () => {
    const w = fleet.world!;
    expect(w.expectedEdges().map((e) => [e.a, e.b, e.kinds.join(), e.up])).toEqual([
      [0, 1, 'cable', true],
      [0, 2, 'cable', true],
      [0, 3, 'cable', true],
      [1, 4, 'cable', true],
      [2, 4, 'cable', true],
    ]);
    const fromTables = new Set<string>();
    for (let i = 0; i < 5; i++)
      for (const n of w.neighbors(i))
        if (n.adjacent && 'device' in n.from) fromTables.add([i, n.from.device].sort().join('-'));
    expect([...fromTables].sort()).toEqual(['0-1', '0-2', '0-3', '1-4', '2-4']);
    expect(w.expectedUnmanaged().map((u) => [u.node, u.device, u.port])).toEqual([
      ['switch', 4, 'ether3'],
      ['lobby', 3, 'ether2'],
    ]);
    // On v7.7+ the API itself tells adjacency apart: LLDP/CDP never cross a bridge.
    const adjacentOnR7 = (await neighbors(0)).filter((r) => /lldp|cdp/.test(r['discovered-by'] ?? ''));
    expect(adjacentOnR7.map((r) => r.identity).sort()).toEqual(['old', 'r6', 'r75']);
  });
});

describe('a cable pulled', () => {
  it('both ports stop running at once; the entries age out after the hold time, then come back', async () => {
    expect(await running(1, 'ether2')).toBe('true');
    fleet.world!.setCable('c14', false);
    expect(await running(1, 'ether2')).toBe('false');
    expect(await running(4, 'ether1')).toBe('false');
    const [mon] = await clients[4]!.command('/interface/ethernet/monitor', { numbers: 'ether1', once: '' });
    expect(mon).toMatchObject({ status: 'no-link' });
    // Held: still listed (with its age growing), marked held in the world's view.
    expect(byIdentity(await neighbors(4), 'r6')).toHaveLength(1);
    expect(fleet.world!.neighbors(4).find((n) => n.identity === 'r6')?.held).toBe(true);
    const t0 = Date.now();
    await waitFor(async () => byIdentity(await neighbors(4), 'r6').length === 0, 'r6 aged out on leaf', 3000);
    expect(Date.now() - t0).toBeLessThan(400 + 100 + 300);
    await waitFor(async () => byIdentity(await neighbors(1), 'leaf').length === 0, 'leaf aged out on r6', 3000);
    expect(fleet.world!.expectedEdges().find((e) => e.a === 1 && e.b === 4)?.up).toBe(false);
    const [link] = await clients[1]!.command('/interface/print', undefined, { query: q.eq('name', 'ether2') });
    expect(Number(link?.['link-downs'])).toBeGreaterThanOrEqual(1);

    fleet.world!.setCable('c14', true);
    expect(await running(4, 'ether1')).toBe('true');
    expect(byIdentity(await neighbors(4), 'r6')).toHaveLength(1);
  });

  it('a port disabled takes its link down on both ends', async () => {
    await clients[0]!.command('/interface/ethernet/disable', { numbers: 'ether3' });
    try {
      expect(await running(2, 'ether1')).toBe('false');
    } finally {
      await clients[0]!.command('/interface/ethernet/enable', { numbers: 'ether3' });
    }
    expect(await running(2, 'ether1')).toBe('true');
  });
});

describe('a device that goes down', () => {
  it('leaves its neighbours tables after the hold time, forgets its own, and relearns it after the boot', async () => {
    const before = (await neighbors(3)).map((r) => r['.id']);
    expect(before.length).toBeGreaterThan(0);
    fleet.device(3).reboot();
    await waitFor(() => !fleet.world!.cables.find((c) => c.id === 'c03')?.up, 'c03 down');
    expect(await running(0, 'ether4')).toBe('false');
    expect(fleet.world!.neighbors(3)).toEqual([]);
    await waitFor(async () => byIdentity(await neighbors(0), 'r75').length === 0, 'r75 gone from r7', 3000);
    await waitFor(async () => byIdentity(await neighbors(0), 'r75').length === 1, 'r75 back on r7', 5000);
    const c = await connect(fleet.devices[3]!);
    try {
      const after = await c.command('/ip/neighbor/print');
      expect(after.map((r) => r.identity).sort()).toEqual(['lobby-hap', 'old', 'r6', 'r7']);
      // New entries, new ids.
      expect(after.some((r) => before.includes(r['.id']))).toBe(false);
      expect(byIdentity(after, 'r7')[0]?.uptime).toMatch(/^(1d|23h59m)/);
    } finally {
      await c.close();
    }
    clients[3] = await connect(fleet.devices[3]!);
  });
});

describe('a spec with mistakes', () => {
  const start = (topology: WorldSpec) => startFleet({ devices: 2, tls: false, sshPort: false, topology });
  it.each([
    [{ cables: [{ a: [0, 'ether1'], b: [5, 'ether1'] }] }, /cable-1: no device 5 \(fleet of 2\)/],
    [{ cables: [{ a: [0, 'ether1'], b: [1, 'ether9'] }] }, /cable-1: device 1 has no interface "ether9"/],
    [{ cables: [{ a: [0, 'ether1'], b: [0, 'ether2'] }] }, /connects device 0 to itself/],
    [
      {
        cables: [
          { a: [0, 'ether1'], b: [1, 'ether1'] },
          { id: 'x', a: [0, 'ether1'], b: [1, 'ether2'] },
        ],
      },
      /port \[0, ether1\] is used by cable-1 and x/,
    ],
    [{ radios: [{ ap: [0, 'ether1'], station: [1, 'ether1'] }] }, /not a wireless interface/],
    [{ unmanaged: [{ identity: 'x', mac: 'nope', attach: [0, 'ether1'] }] }, /bad MAC address/],
    [{ discovery: { holdMs: 0 } }, /at least 10 ms/],
    [{ degrade: [{ target: 'r9', dbPerHour: 1 }] }, /no radio link r9/],
  ] as Array<[WorldSpec, RegExp]>)('%j', async (spec, message) => {
    const err = await start(spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorldError);
    expect((err as Error).message).toMatch(message);
  });

  it('an unknown topology name', async () => {
    await expect(startFleet({ devices: 1, tls: false, topology: 'ring' as never })).rejects.toThrow(/chain, none/);
  });
});

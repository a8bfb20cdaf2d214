// The preset worlds (chain, tree, WISP) over real API sockets: the tables of every device agree with
// expectedEdges (LLDP/CDP entries and registrations exactly on the links, MNDP relayed through bridges beyond them),
// the WISP's degrading sector falls, and the same preset gives the same world twice.
import type { RouterOSClient, Row } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet, treeWorld, wirelessClients, wispWorld } from '../src/index.js';
import { connect } from './helpers.js';

const base = { users: [{ name: 'admin', password: 'p' }], uptimeMs: 3_600_000 };

async function tables(fleet: Fleet): Promise<{ neighbors: Row[][]; regs: Row[][] }> {
  const neighbors: Row[][] = [];
  const regs: Row[][] = [];
  for (const d of fleet.devices) {
    const c: RouterOSClient = await connect(d);
    try {
      neighbors.push(await c.command('/ip/neighbor/print'));
      const v7 = d.version.startsWith('7');
      const wifi = v7 ? await c.command('/interface/wifi/registration-table/print') : [];
      const legacy = v7 ? [] : await c.command('/interface/wireless/registration-table/print');
      regs.push([...wifi, ...legacy]);
    } finally {
      await c.close();
    }
  }
  return { neighbors, regs };
}

/** Pairs (a-b, a < b) seen by LLDP/CDP (v7.7+ says so) or registration, from the API replies alone. */
function adjacency(fleet: Fleet, t: { neighbors: Row[][]; regs: Row[][] }, macs: Map<string, number>): string[] {
  const pairs = new Set<string>();
  const byIdentity = new Map(fleet.devices.map((d) => [d.identity, d.index]));
  t.neighbors.forEach((rows, i) => {
    for (const r of rows) {
      const other = byIdentity.get(r.identity ?? '');
      const direct = /lldp|cdp/.test(r['discovered-by'] ?? '') || (!('discovered-by' in r) && r['system-description']);
      if (other !== undefined && direct) pairs.add([i, other].sort((x, y) => x - y).join('-'));
    }
  });
  t.regs.forEach((rows, i) => {
    for (const r of rows) {
      const other = macs.get(r['mac-address'] ?? '');
      if (other !== undefined) pairs.add([i, other].sort((x, y) => x - y).join('-'));
    }
  });
  return [...pairs].sort();
}

async function interfaceMacs(fleet: Fleet): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const d of fleet.devices) {
    const c = await connect(d);
    for (const r of await c.command('/interface/print')) out.set(r['mac-address'] ?? '', d.index);
    await c.close();
  }
  return out;
}

const expected = (fleet: Fleet) =>
  fleet
    .world!.expectedEdges()
    .filter((e) => e.up)
    .map((e) => `${e.a}-${e.b}`)
    .sort();

describe('treeWorld', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    const t = treeWorld(13, 3);
    expect(t.specs).toHaveLength(13);
    fleet = await startFleet({ tls: false, sshPort: false, base, specs: t.specs, topology: t.world });
  });
  afterAll(() => fleet.stop());

  it('LLDP/CDP entries are exactly the tree; siblings hear each other by MNDP through their parent', async () => {
    const t = await tables(fleet);
    expect(adjacency(fleet, t, await interfaceMacs(fleet))).toEqual(expected(fleet));
    expect(expected(fleet)).toHaveLength(12);
    const onSw1 = t.neighbors[1] as Row[];
    expect(onSw1.find((r) => r.identity === 'root')).toMatchObject({
      interface: 'ether1',
      'interface-name': 'bridge/ether2',
    });
    expect(onSw1.find((r) => r.identity === 'sw-2')).toMatchObject({ interface: 'ether1', 'discovered-by': 'mndp' });
    expect(onSw1.find((r) => r.identity === 'sw-4')).toMatchObject({
      interface: 'ether2,bridge',
      'interface-name': 'ether1',
    });
  });
});

describe('wispWorld', () => {
  let fleet: Fleet;
  const w = wispWorld({ towers: 2, sectorsPerTower: 3, cpesPerSector: 2, degradeDbPerHour: 36_000 });
  beforeAll(async () => {
    fleet = await startFleet({ tls: false, sshPort: false, base, specs: w.specs, topology: w.world });
  });
  afterAll(() => fleet.stop());

  it('roles, sectors and the degrading one', () => {
    expect(w.roles.filter((r) => r === 'cpe')).toHaveLength(12);
    expect(w.roles.filter((r) => r === 'ap')).toHaveLength(6);
    expect(w.sectors).toHaveLength(6);
    expect(w.degrading).toEqual(w.sectors.at(-1)?.ap);
  });

  it('every table agrees with expectedEdges: cables by LLDP/CDP, radio links by registrations on both ends', async () => {
    const t = await tables(fleet);
    expect(adjacency(fleet, t, await interfaceMacs(fleet))).toEqual(expected(fleet));
    // A tower hears its sectors' CPEs (bridged), by MNDP only; the core does not (the backhaul is routed).
    const tower = w.roles.indexOf('tower');
    const cpe = fleet.devices[w.sectors[0]!.cpes[0]!]!.identity;
    expect(t.neighbors[tower]!.find((r) => r.identity === cpe)).toMatchObject({ 'discovered-by': 'mndp' });
    expect(t.neighbors[0]!.some((r) => r.identity === cpe)).toBe(false);
    // Every CPE has exactly its AP registered, flagged as such on legacy wireless.
    for (const s of w.sectors)
      for (const c of s.cpes) {
        expect(t.regs[c]).toHaveLength(1);
        if (!fleet.devices[c]!.version.startsWith('7')) expect(t.regs[c]![0]).toMatchObject({ ap: 'true' });
      }
  });

  it('the degrading sector falls while the others hold', async () => {
    const degrading = w.world.radios!.filter((r) => r.ap[0] === w.degrading[0]).map((r) => r.id as string);
    const steady = w.world.radios!.find((r) => r.ap[0] !== w.degrading[0])?.id as string;
    const before = degrading.map((id) => fleet.world!.signal(id).uplink);
    const steadyBefore = fleet.world!.signal(steady).uplink;
    await new Promise((r) => setTimeout(r, 800));
    for (const [i, id] of degrading.entries())
      expect(fleet.world!.signal(id).uplink).toBeLessThan((before[i] as number) - 3);
    expect(Math.abs(fleet.world!.signal(steady).uplink - steadyBefore)).toBeLessThanOrEqual(4);
  });

  it('is the same world twice: same MACs, same links', async () => {
    const again = await startFleet({ tls: false, sshPort: false, base, specs: w.specs, topology: w.world });
    try {
      expect([...(await interfaceMacs(again)).keys()].sort()).toEqual([...(await interfaceMacs(fleet)).keys()].sort());
      expect(again.world!.expectedEdges()).toEqual(fleet.world!.expectedEdges());
    } finally {
      await again.stop();
    }
  });
});

describe('chain and helpers', () => {
  it('chain: each device last port to the next one ether1', async () => {
    const fleet = await startFleet({ devices: 3, tls: false, sshPort: false, base, topology: 'chain' });
    try {
      expect(fleet.world!.cables.map((c) => [c.a, c.b])).toEqual([
        [
          [0, 'ether5'],
          [1, 'ether1'],
        ],
        [
          [1, 'ether5'],
          [2, 'ether1'],
        ],
      ]);
      const t = await tables(fleet);
      expect(t.neighbors[1]!.map((r) => r.interface).sort()).toEqual(['ether1', 'ether5,bridge']);
    } finally {
      await fleet.stop();
    }
  });

  it('wirelessClients: deterministic phones and laptops, some coming and going', () => {
    const a = wirelessClients([3, 'wlan1'], 6, 'seed');
    expect(a).toEqual(wirelessClients([3, 'wlan1'], 6, 'seed'));
    expect(new Set(a.map((c) => c.mac)).size).toBe(6);
    for (const c of a) expect(c.mac).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/);
    expect(a.filter((c) => c.schedule).length).toBe(4);
  });

  it('none: no world, no neighbours', async () => {
    const fleet = await startFleet({ devices: 2, tls: false, sshPort: false, base });
    try {
      expect(fleet.world).toBeUndefined();
      const c = await connect(fleet.devices[0]!);
      expect(await c.command('/ip/neighbor/print')).toEqual([]);
      await c.close();
    } finally {
      await fleet.stop();
    }
  });
});

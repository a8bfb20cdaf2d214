import { type Fleet, startFleet, wispWorld } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSites } from '../../src/features/alerts/site-evaluate.js';
import { consumeTopology } from '../../src/features/topology/consume.js';
import { consumeWireless } from '../../src/features/wireless/consume.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { type Seed, seed } from '../helpers/seed.js';
import { addDevices, type DeviceRow, startPipeline, waitFor } from '../poller/poller-fixture.js';

// The whole way: a simulated WISP (a core, two towers, their sector APs on v6 wireless and v7 wifi, CPEs by radio,
// bridges that flood MNDP) polled by the real poller over API sockets, ingested with the topology and wireless
// steps, and read through the API. The graph must have exactly the links the simulated cabling and radios imply —
// no relayed MNDP neighbour, no phone — follow a cable pulled out, and the wireless links and signal must be what
// the radios report.

let ctx: TestContext;
let s: Seed;
let fleet: Fleet;
let rows: DeviceRow[];
let pipeline: Awaited<ReturnType<typeof startPipeline>>;
const preset = wispWorld({ towers: 2, sectorsPerTower: 2, cpesPerSector: 2 });

type Graph = {
  nodes: Array<{ id: string; managed: boolean; label: string }>;
  edges: Array<{ source: string; target: string; state: string; kind: string }>;
};

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  fleet = await startFleet({
    base: { users: [{ name: 'admin', password: 'pw' }] },
    specs: preset.specs,
    sshPort: false,
    tls: false,
    topology: { ...preset.world, discovery: { intervalMs: 100, holdMs: 500 } },
  });
  rows = await addDevices(ctx, s.a.id, fleet, { tlsMode: () => 'plain' });
  pipeline = await startPipeline(ctx, {
    options: { intervalMs: 1000, linksIntervalMs: 900, slowIntervalMs: 60_000 },
    consumers: [
      { name: 'topology', consume: consumeTopology },
      { name: 'wireless', consume: consumeWireless },
    ],
  });
}, 60_000);
afterAll(async () => {
  await pipeline?.stop();
  await fleet?.stop();
  await ctx?.close();
});

const idOf = (index: number) => rows.find((r) => r.index === index)!.id;
const pair = (a: string, b: string) => [a, b].sort().join(' ');
const graph = async () =>
  expectStatus<Graph>(await apiAs(ctx, s, 'viewer').get(`/api/tenants/${s.a.id}/topology`), 200);
const managedPairs = (g: Graph, state?: string) => {
  const managed = new Set(g.nodes.filter((n) => n.managed).map((n) => n.id));
  return g.edges
    .filter((e) => managed.has(e.source) && managed.has(e.target) && (!state || e.state === state))
    .map((e) => pair(e.source, e.target))
    .sort();
};

describe('topology of a simulated WISP', () => {
  it('has exactly the links the cabling and radios imply', async () => {
    const expected = fleet
      .world!.expectedEdges()
      .map((e) => pair(idOf(e.a), idOf(e.b)))
      .sort();
    expect(expected.length).toBe(preset.specs.length - 1);
    const g = await waitFor(
      'the graph to hold every link',
      async () => {
        const now = await graph();
        return managedPairs(now, 'up').length >= expected.length ? now : null;
      },
      30_000,
    );
    expect(managedPairs(g)).toEqual(expected);
    // Every node is a simulated router: no relayed MNDP neighbour, no phone, no router left unmatched.
    expect(g.nodes.filter((n) => !n.managed)).toEqual([]);
    const radios = g.edges.filter((e) => e.kind === 'wireless');
    expect(radios).toHaveLength(preset.world.radios?.length ?? 0);
  }, 60_000);

  it('marks a pulled cable down and brings it back', async () => {
    const cable = fleet.world!.cables.find((c) => c.id === 'backhaul-2')!;
    const ends = pair(idOf(cable.a[0]), idOf(cable.b[0]));
    fleet.world!.setCable('backhaul-2', false);
    await waitFor(
      'the backhaul to be down',
      async () => {
        const e = (await graph()).edges.find((x) => pair(x.source, x.target) === ends);
        return e?.state === 'down';
      },
      20_000,
    );
    fleet.world!.setCable('backhaul-2', true);
    await waitFor(
      'the backhaul to be up again',
      async () => (await graph()).edges.find((x) => pair(x.source, x.target) === ends)?.state === 'up',
      20_000,
    );
  }, 60_000);

  it('lists each radio link with the signal the AP reports, and the path from the core', async () => {
    type Links = { items: Array<{ ap_device_id: string; cpe_device_id: string; signal: number | null }> };
    const want = (preset.world.radios ?? []).map((r) => pair(idOf(r.ap[0]), idOf(r.station[0]))).sort();
    const links = await waitFor(
      'every radio link',
      async () => {
        const l = expectStatus<Links>(await apiAs(ctx, s, 'viewer').get(`/api/tenants/${s.a.id}/links`), 200);
        return l.items.length >= want.length ? l : null;
      },
      20_000,
    );
    expect(links.items.map((l) => pair(l.ap_device_id, l.cpe_device_id)).sort()).toEqual(want);
    for (const l of links.items) {
      expect(l.signal).toBeLessThan(-30);
      expect(l.signal).toBeGreaterThan(-97);
    }
    const cpe = preset.sectors[0]!.cpes[0]!;
    expectStatus(
      await apiAs(ctx, s, 'operator').put(`/api/tenants/${s.a.id}/topology/cores`, { device_ids: [idOf(0)] }),
      200,
    );
    const up = expectStatus<{ path: Array<{ device_id: string }> }>(
      await apiAs(ctx, s, 'viewer').get(`/api/tenants/${s.a.id}/devices/${idOf(cpe)}/upstream`),
      200,
    );
    const ap = preset.sectors[0]!.ap[0];
    const tower = preset.sectors[0]!.tower;
    expect(up.path.map((p) => p.device_id)).toEqual([idOf(0), idOf(tower), idOf(ap), idOf(cpe)]);
  }, 60_000);

  it('the degrading sector raises its site alert', async () => {
    const op = apiAs(ctx, s, 'operator');
    const base = `/api/tenants/${s.a.id}`;
    const [ap, iface] = preset.degrading;
    const sector = preset.sectors.find((x) => x.ap[0] === ap)!;
    const site = await factories(ctx, s).site();
    expectStatus(
      await op.post(`${base}/sites/${site.id}/devices/bulk-assign`, {
        device_ids: [idOf(ap), ...sector.cpes.map(idOf)],
      }),
      200,
    );
    const made = expectStatus<{ id: string }>(
      await op.post(`${base}/sites/${site.id}/sectors`, {
        name: 'Degrading',
        azimuth: 90,
        width: 60,
        ap_device_id: idOf(ap),
      }),
      201,
    );
    expectStatus(
      await op.post(`${base}/sites/${site.id}/alert-rules`, {
        name: 'Sector signal',
        metric: 'sector_avg_signal',
        operator: '<',
        threshold: -75,
        scope: { kind: 'sector', id: made.id },
      }),
      201,
    );
    // Weather turns: the sector loses signal fast, as the simulator's radios report it.
    fleet.world!.degrade([ap, iface], 360_000);
    await waitFor(
      'the sector to report weak clients',
      async () => {
        const l = expectStatus<{ items: Array<{ signal: number | null }> }>(
          await op.get(`${base}/devices/${idOf(ap)}/links`),
          200,
        );
        return l.items.length > 0 && l.items.every((x) => x.signal !== null && x.signal < -80);
      },
      20_000,
    );
    await withSystem(ctx.pools.system, (db) => evaluateSites(db, ctx.services.alerts.siteDeps));
    const alerts = expectStatus<{ items: Array<{ metric: string; state: string; sector_id: string | null }> }>(
      await op.get(`${base}/sites/${site.id}/alert-events`),
      200,
    );
    expect(alerts.items).toEqual([
      expect.objectContaining({ metric: 'sector_avg_signal', state: 'firing', sector_id: made.id }),
    ]);
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeResults } from '../../src/features/ingest/ingest.batch.js';
import type { PollResult } from '../../src/features/poller/types.js';
import { consumeTopology } from '../../src/features/topology/consume.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { interfaceSample, pollResult } from '../helpers/poll-result.js';
import { type Seed, seed } from '../helpers/seed.js';

// The graph from what routers report, through ingest's real transaction and the API: both directions merged, an
// unmanaged neighbour, a wireless link proven by registrations on both ends, phones left out, a link going down,
// the path from the core, and another organisation seeing none of it.

let ctx: TestContext;
let s: Seed;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  make = factories(ctx, s);
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }));
});
afterAll(() => ctx?.close());

type Graph = {
  nodes: Array<{
    id: string;
    device_id?: string;
    label: string;
    status: string;
    managed: boolean;
    depth: number | null;
  }>;
  edges: Array<{
    id: string;
    source: string;
    target: string;
    state: string;
    kind: string;
    down_since: string | null;
    evidence: Array<{ protocol: string; source_interface: string | null; target_interface: string | null }>;
  }>;
};

const mac = (n: number, p: number) => `4C:5E:0C:00:${n.toString(16).padStart(2, '0').toUpperCase()}:0${p}`;

/** Ingest of these results, with the topology step, as the worker does it. */
const ingest = (results: PollResult[]) =>
  writeResults(ctx.pools.system, results, [{ name: 'topology', consume: consumeTopology }]);

/** Finds the edge between two nodes, either way round, and orients its evidence from `from`. */
function between(g: Graph, from: string, to: string) {
  const e = g.edges.find((x) => (x.source === from && x.target === to) || (x.source === to && x.target === from));
  if (!e) return undefined;
  const flip = e.source !== from;
  return {
    ...e,
    evidence: e.evidence.map((x) =>
      flip ? { ...x, source_interface: x.target_interface, target_interface: x.source_interface } : x,
    ),
  };
}

describe('topology', () => {
  // It read the devices with a count whose unused parameters PostgreSQL could not type: a 500 for an empty
  // organisation (the map page of a new organisation).
  it('gives an organisation without devices an empty graph', async () => {
    const g = expectStatus<Graph>(await apiAs(ctx, s, 'viewer', s.b).get(`/api/tenants/${s.b.id}/topology`), 200);
    expect(g.nodes).toEqual([]);
    expect(g.edges).toEqual([]);
  });

  let core: string;
  let dist: string;
  let cpe: string;
  let graphUrl: string;

  it('merges what both ends say, keeps unmanaged neighbours, and draws wireless links only to managed devices', async () => {
    const site = await make.site();
    core = (await make.device({ name: 'core-1', site_id: site.id })).id;
    dist = (await make.device({ name: 'ap-1', site_id: site.id })).id;
    cpe = (await make.device({ name: 'cpe-1', site_id: site.id })).id;
    // Another organisation's router owns the switch's MAC: it must not be matched across organisations.
    const foreign = (await factories(ctx, s, s.b).device({ name: 'elsewhere' })).id;
    graphUrl = `/api/tenants/${s.a.id}/topology?site_id=${site.id}`;
    const t = s.a.id;
    const at = new Date();
    await ingest([
      pollResult(s.b.id, foreign, { at, interfaces: [interfaceSample('ether1', '00:11:22:33:44:55')] }),
      pollResult(t, core, {
        at,
        interfaces: [
          interfaceSample('ether1', mac(1, 1)),
          interfaceSample('ether2', mac(1, 2)),
          interfaceSample('bridge', mac(1, 2), 'bridge'),
        ],
        facts: {
          neighbors: [
            {
              interface: 'ether2,bridge',
              'mac-address': mac(2, 1),
              identity: 'ap-1',
              platform: 'MikroTik',
              'interface-name': 'ether1',
              'discovered-by': 'cdp,lldp,mndp',
            },
            {
              interface: 'ether5',
              'mac-address': '00:11:22:33:44:55',
              identity: 'sw-lobby',
              address: '192.0.2.9',
              platform: 'Cisco IOS',
              'interface-name': 'Gi0/1',
              'discovered-by': 'lldp',
            },
          ],
          wireless: [],
        },
      }),
      pollResult(t, dist, {
        at,
        interfaces: [interfaceSample('ether1', mac(2, 1)), interfaceSample('wlan1', mac(2, 9), 'wlan')],
        facts: {
          neighbors: [{ interface: 'ether1', 'mac-address': mac(1, 2), identity: 'core-1', platform: 'MikroTik' }],
          wireless: [
            { interface: 'wlan1', 'mac-address': mac(3, 9), 'signal-strength': '-61@6Mbps' },
            { interface: 'wlan1', 'mac-address': 'AA:BB:CC:00:00:01', 'signal-strength': '-70@6Mbps' },
          ],
        },
      }),
      pollResult(t, cpe, {
        at,
        interfaces: [interfaceSample('wlan1', mac(3, 9), 'wlan')],
        facts: { neighbors: [], wireless: [{ interface: 'wlan1', 'mac-address': mac(2, 9), ap: 'true' }] },
      }),
    ]);

    const viewer = apiAs(ctx, s, 'viewer');
    const g = expectStatus<Graph>(await viewer.get(graphUrl), 200);
    expect(g.edges).toHaveLength(3);
    const wired = between(g, core, dist);
    expect(wired?.state).toBe('up');
    expect(wired?.kind).toBe('wired');
    expect(wired?.evidence.map((e) => [e.protocol, e.source_interface, e.target_interface])).toEqual([
      ['cdp', 'ether2', 'ether1'],
      ['lldp', 'ether2', 'ether1'],
      ['mndp', 'ether2', 'ether1'],
    ]);
    const radio = between(g, dist, cpe);
    expect(radio?.kind).toBe('wireless');
    expect(radio?.evidence).toEqual([
      expect.objectContaining({ protocol: 'wireless', source_interface: 'wlan1', target_interface: 'wlan1' }),
    ]);
    const sw = g.nodes.find((n) => !n.managed);
    expect(sw).toMatchObject({ id: 'u:00:11:22:33:44:55', label: 'sw-lobby', status: 'unmanaged' });
    expect(between(g, core, sw!.id)?.evidence[0]).toMatchObject({
      protocol: 'lldp',
      source_interface: 'ether5',
      target_interface: 'Gi0/1',
    });
    // No node for the phone on the access point.
    expect(g.nodes.map((n) => n.label).sort()).toEqual(['ap-1', 'core-1', 'cpe-1', 'sw-lobby']);

    // The other organisation sees its own router alone.
    const other = expectStatus<Graph>(await apiAs(ctx, s, 'viewer', s.b).get(`/api/tenants/${s.b.id}/topology`), 200);
    expect(other.nodes.map((n) => n.label)).toEqual(['elsewhere']);
    expect(other.edges).toEqual([]);
    const cross = await apiAs(ctx, s, 'viewer', s.b).get(`/api/tenants/${s.b.id}/devices/${cpe}/upstream`);
    expect(cross.statusCode).toBe(404);
  });

  it('gives the path from the named core, and marks a link down when both ends stop seeing it', async () => {
    const op = apiAs(ctx, s, 'operator');
    expectStatus(await op.put(`/api/tenants/${s.a.id}/topology/cores`, { device_ids: [core] }), 200);
    const up = expectStatus<{ hops: number; path: Array<{ device_id: string }>; via_down: boolean }>(
      await op.get(`/api/tenants/${s.a.id}/devices/${cpe}/upstream`),
      200,
    );
    expect(up.path.map((p) => p.device_id)).toEqual([core, dist, cpe]);
    expect(up).toMatchObject({ hops: 2, via_down: false, core: { device_id: core, named: true } });

    // The radio link drops: the access point no longer lists the CPE, and the CPE stops answering.
    const at = new Date(Date.now() + 5000);
    await ingest([
      pollResult(s.a.id, dist, {
        at,
        facts: {
          neighbors: [{ interface: 'ether1', 'mac-address': mac(1, 2), identity: 'core-1', platform: 'MikroTik' }],
          wireless: [],
        },
      }),
      pollResult(s.a.id, cpe, { at, status: 'offline', statusReason: 'timeout', facts: {} }),
    ]);
    const g = expectStatus<Graph>(await op.get(graphUrl), 200);
    const radio = between(g, dist, cpe);
    expect(radio?.state).toBe('down');
    expect(radio?.down_since).toBe(at.toISOString());
    expect(between(g, core, dist)?.state).toBe('up');
    const after = expectStatus<{ via_down: boolean; hops: number }>(
      await op.get(`/api/tenants/${s.a.id}/devices/${cpe}/upstream`),
      200,
    );
    expect(after).toMatchObject({ via_down: true, hops: 2 });
    const events = await withSystem(ctx.pools.system, (db) =>
      db.query(`select payload from domain_events where tenant_id = $1 and type = 'topology.changed'`, [s.a.id]),
    );
    expect(events.rowCount).toBeGreaterThanOrEqual(2);

    // It comes back: up again, nothing left of the outage.
    const later = new Date(Date.now() + 10_000);
    await ingest([
      pollResult(s.a.id, cpe, {
        at: later,
        facts: { neighbors: [], wireless: [{ interface: 'wlan1', 'mac-address': mac(2, 9), ap: 'true' }] },
      }),
    ]);
    expect(between(expectStatus<Graph>(await op.get(graphUrl), 200), dist, cpe)).toMatchObject({
      state: 'up',
      down_since: null,
    });
  });

  it('refuses naming another organisation’s device as core, and forgets the edges of a deleted device', async () => {
    const foreign = (await factories(ctx, s, s.b).device({ name: 'theirs' })).id;
    const r = await apiAs(ctx, s, 'operator').put(`/api/tenants/${s.a.id}/topology/cores`, { device_ids: [foreign] });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('target_not_found');
    expectStatus(await apiAs(ctx, s, 'admin').delete(`/api/tenants/${s.a.id}/devices/${cpe}`), 204);
    const g = expectStatus<Graph>(await apiAs(ctx, s, 'viewer').get(graphUrl), 200);
    expect(between(g, dist, cpe)).toBeUndefined();
    expect(g.edges).toHaveLength(2);
  });
});

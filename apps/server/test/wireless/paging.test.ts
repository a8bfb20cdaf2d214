import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { walkPages } from '../helpers/paging.js';
import { bareDevice, headersFor, type Seed, seed } from '../helpers/seed.js';

// Wireless links paged by keyset (AP name, interface, CPE name; APs with the same name broken by id), with the state
// filter applied by PostgreSQL so pages stay full; the whole list without `limit` as before. Signal history as JSON
// built by PostgreSQL: points as they were, and the same samples as columns with `format=columns`.

let ctx: TestContext;
let s: Seed;
let ap: string;
const APS = 4;
const CPES = 23;
const mac = (i: number) => `4C:5E:0C:30:00:${i.toString(16).toUpperCase().padStart(2, '0')}`;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 3, fiveMinute: 3, hourly: 3 }), { behindDays: 2 });
  let hosts = 0;
  const device = (name: string) => bareDevice(ctx, s.a.id, name, `10.8.0.${++hosts}`);
  // Two APs share a name (ties), CPE names repeat across APs.
  const aps = [await device('Tower'), await device('Tower'), await device('Hill'), await device('valley')];
  ap = aps[0]!;
  const cpes: string[] = [];
  for (let i = 0; i < CPES; i++) cpes.push(await device(`cpe-${i % 9}`));
  for (let i = 0; i < CPES; i++) {
    const gone = i % 5 === 0;
    await ctx.pools.owner.query(
      `insert into wireless_registrations (tenant_id, device_id, interface, mac, role, peer_device_id, signal, first_seen,
                                           last_seen, gone_at, missed)
       values ($1, $2, $3, $4, 'client', $5, $6, now() - interval '1 day', now(), $7, $8)`,
      [
        s.a.id,
        aps[i % APS],
        i % 2 ? 'wlan1' : 'wlan2',
        mac(i),
        cpes[i],
        i % 3 === 0 ? -80 : -60,
        gone ? new Date(Date.now() - 3_600_000) : null,
        gone ? 3 : 0,
      ],
    );
  }
  await ctx.pools.owner.query(
    `insert into wireless_signal (tenant_id, device_id, interface, mac, time, signal, snr, tx_ccq, rx_ccq, tx_rate_mbps,
                                  rx_rate_mbps)
     select $1, $2, 'wlan2', $3, date_trunc('second', now()) - make_interval(mins => i * 5), case when i % 7 = 0 then null else -60 - i % 5 end,
            30.5, 90, 80, 300, 270
       from generate_series(0, 100) i`,
    [s.a.id, ap, mac(0)],
  );
});
afterAll(() => ctx?.close());

type Link = { id: string; ap_name: string; interface: string; cpe_name: string; ap_device_id: string; state: string };
type Page = { items: Link[]; total: number; total_exact?: boolean; next_cursor?: string | null };
const get = async (q: string) => {
  const r = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/${q}`, headers: headersFor(s, 'viewer') });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};
const walk = (q: string) => walkPages<Link>(get, `links?${q}`);

describe('wireless link pages', () => {
  it('walks every link once by cursor in the whole list order', async () => {
    const whole = (await get('links')) as Page;
    expect(whole.items).toHaveLength(CPES);
    expect(whole.next_cursor).toBeUndefined();
    const seen = await walk('limit=4');
    expect(seen.map((l) => l.id)).toEqual(whole.items.map((l) => l.id));
    // The order, checked independently: AP name, interface, CPE name (case-insensitive), then AP id and MAC.
    const key = (l: Link) => [
      l.ap_name.toLowerCase(),
      l.interface,
      l.cpe_name.toLowerCase(),
      l.ap_device_id,
      l.id.slice(-17),
    ];
    const sorted = [...seen].sort((x, y) => {
      const [a, b] = [key(x), key(y)];
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
      return 0;
    });
    expect(seen.map((l) => l.id)).toEqual(sorted.map((l) => l.id));
  });

  for (const state of ['active', 'degraded', 'down'])
    it(`filters by state (${state}) in full pages, counted`, async () => {
      const whole = (await get(`links?state=${state}`)) as Page;
      expect(whole.items.length).toBeGreaterThan(0);
      expect(whole.items.every((l) => l.state === state)).toBe(true);
      const first = (await get(`links?state=${state}&limit=2`)) as Page;
      expect(first).toMatchObject({ total: whole.items.length, total_exact: true });
      expect(first.items).toHaveLength(Math.min(2, whole.items.length));
      expect((await walk(`state=${state}&limit=2`)).map((l) => l.id)).toEqual(whole.items.map((l) => l.id));
    });

  it('refuses a cursor that is not one of its own', async () => {
    const r = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/links?limit=2&cursor=${Buffer.from('{"s":"links","k":"[1]","id":"00000000-0000-0000-0000-000000000000"}').toString('base64url')}`,
      headers: headersFor(s, 'viewer'),
    });
    expect(r.statusCode).toBe(422);
  });
});

describe('signal history', () => {
  it('gives the same samples as points and as columns, oldest first', async () => {
    const url = `devices/${ap}/signal-history?mac_address=${mac(0)}&range=24h`;
    type Point = Record<string, number | string | null> & { time: string };
    const points = (await get(url)) as { points: Point[]; series?: unknown; resolution: string };
    expect(points.resolution).toBe('raw');
    expect(points.series).toBeUndefined();
    expect(points.points).toHaveLength(101);
    expect(points.points[0]).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      interface: 'wlan2',
      signal: expect.any(Number),
      signal_min: expect.any(Number),
      signal_max: expect.any(Number),
      snr: 30.5,
      ccq: 90,
      tx_rate_mbps: 300,
      rx_rate_mbps: 270,
    });
    const times = points.points.map((p) => Date.parse(p.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(points.points.some((p) => p.signal === null)).toBe(true);

    const cols = (await get(`${url}&format=columns`)) as { points: Point[]; series: Record<string, unknown[]> };
    expect(cols.points).toEqual([]);
    expect(cols.series.t).toEqual(times.map((t) => t / 1000));
    for (const f of ['interface', 'signal', 'signal_min', 'signal_max', 'snr', 'ccq', 'tx_rate_mbps', 'rx_rate_mbps'])
      expect(cols.series[f], f).toEqual(points.points.map((p) => p[f]));
  });

  it('answers empty points and columns for a client without samples', async () => {
    const url = `devices/${ap}/signal-history?mac_address=${mac(1)}&range=7d`;
    expect((await get(url)).points).toEqual([]);
    const cols = await get(`${url}&format=columns`);
    expect(cols.series).toMatchObject({ t: [], signal: [] });
  });
});

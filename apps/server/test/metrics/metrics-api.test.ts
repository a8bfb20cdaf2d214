import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { runRollups } from '../../src/platform/timeseries/rollups.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

let ctx: TestContext;
let s: Seed;
let deviceId: string;
let otherDevice: string;
const now = Date.now();

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 7, fiveMinute: 30, hourly: 90 }), { behindDays: 3 });
  const mk = async (tenant: string, name: string) =>
    (
      await ctx.pools.owner.query(
        `insert into devices (tenant_id, name, host, username, password_enc) values ($1, $2, $3, 'admin', '\\x00') returning id`,
        [tenant, name, `10.0.0.${Math.floor(Math.random() * 250) + 1}`],
      )
    ).rows[0].id as string;
  deviceId = await mk(s.a.id, 'r1');
  otherDevice = await mk(s.b.id, 'r-b');
  // Two hours of samples every minute: cpu climbs 0..119 %, ether1 carries i Mbit/s.
  await ctx.pools.owner.query(
    `insert into metrics_health (tenant_id, device_id, time, cpu_load, memory_free, memory_total, uptime_seconds)
     select $1, $2, to_timestamp($3 / 1000.0) - make_interval(mins => 120 - i), least(i, 100), 1000 - i, 1000, i * 60
       from generate_series(0, 119) i`,
    [s.a.id, deviceId, now],
  );
  await ctx.pools.owner.query(
    `insert into metrics_interface (tenant_id, device_id, time, interface, rx_bps, tx_bps, rx_pps, tx_pps, running)
     select $1, $2, to_timestamp($3 / 1000.0) - make_interval(mins => 120 - i), n, i * 1e6, i * 5e5, i, i, true
       from generate_series(0, 119) i cross join (values ('ether1'), ('ether2')) v(n)`,
    [s.a.id, deviceId, now],
  );
  await runRollups(ctx.pools.system, { now, graceMs: 0, startBackMs: 3 * 3_600_000 });
});
afterAll(() => ctx?.close());

const get = (url: string, caller: Parameters<typeof headersFor>[1] = 'viewer') =>
  ctx.app.inject({ url: `/api/tenants/${s.a.id}/devices/${url}`, headers: headersFor(s, caller) });

describe('metrics API', () => {
  it('1h reads raw samples as columns', async () => {
    const r = await get(`${deviceId}/metrics/health?range=1h`);
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(b.resolution).toBe('raw');
    expect(b.series.t.length).toBeGreaterThanOrEqual(59);
    expect(b.series.t.length).toBe(b.series.cpu.length);
    expect(b.series.t.every((t: number, i: number) => i === 0 || t > b.series.t[i - 1])).toBe(true);
    expect(b.series.cpu.at(-1)).toBe(100);
  });

  it('24h reads 5-minute rollups; 7d and 30d read hourly rollups', async () => {
    const day = (await get(`${deviceId}/metrics/health?range=24h`)).json();
    expect(day.resolution).toBe('5m');
    expect(day.series.t.length).toBeGreaterThanOrEqual(20);
    expect(day.series.t.length).toBeLessThanOrEqual(25);
    expect(Math.max(...day.series.cpu_max)).toBe(100);
    const week = (await get(`${deviceId}/metrics/health?range=7d`)).json();
    expect(week.resolution).toBe('1h');
    expect(week.series.t.length).toBeGreaterThanOrEqual(1);
    expect((await get(`${deviceId}/metrics/health?range=30d`)).json().resolution).toBe('1h');
  });

  it('interface traffic per interface, narrowed by name', async () => {
    const all = (await get(`${deviceId}/metrics/interfaces?range=6h`)).json();
    expect(all.interfaces.map((i: { name: string }) => i.name)).toEqual(['ether1', 'ether2']);
    const one = (await get(`${deviceId}/metrics/interfaces?range=1h&interface=ether2`)).json();
    expect(one.interfaces).toHaveLength(1);
    expect(one.interfaces[0].series.rx_bps.at(-1)).toBe(119e6);
  });

  it('each column is the stored samples in time order, missing figures as null, times in Unix seconds', async () => {
    const from = new Date(now - 90 * 60_000);
    const to = new Date(now);
    const b = (await get(`${deviceId}/metrics/health?from=${from.toISOString()}&to=${to.toISOString()}`)).json();
    const rows = (
      await ctx.pools.owner.query<{ ms: number; cpu: number; temperature: null }>(
        `select (extract(epoch from time) * 1000)::float8 as ms, cpu_load as cpu, temperature
           from metrics_health where device_id = $1 and time >= $2 and time < $3 order by time`,
        [deviceId, from, to],
      )
    ).rows;
    expect(rows.length).toBeGreaterThan(80);
    expect(b.series.t.map((t: number) => Math.round(t * 1000))).toEqual(rows.map((r) => Math.round(r.ms)));
    expect(b.series.cpu).toEqual(rows.map((r) => r.cpu));
    expect(b.series.temperature).toEqual(rows.map(() => null));
    // Rollups: hourly traffic of both interfaces, every column as long as t.
    const t = (await get(`${deviceId}/metrics/interfaces?range=7d`)).json();
    expect(t.interfaces.map((i: { name: string }) => i.name)).toEqual(['ether1', 'ether2']);
    for (const i of t.interfaces)
      for (const c of ['rx_bps', 'tx_bps', 'rx_bps_max', 'tx_bps_max', 'rx_pps', 'tx_pps'])
        expect(i.series[c]).toHaveLength(i.series.t.length);
  });

  it('custom windows, bad windows, and other tenants', async () => {
    const from = new Date(now - 30 * 60_000).toISOString();
    const to = new Date(now).toISOString();
    const w = (await get(`${deviceId}/metrics/health?from=${from}&to=${to}`)).json();
    expect(w.resolution).toBe('raw');
    expect(w.series.t.length).toBeGreaterThanOrEqual(29);
    expect((await get(`${deviceId}/metrics/health?from=${to}&to=${from}`)).statusCode).toBe(422);
    expect((await get(`${deviceId}/metrics/health?range=2y`)).statusCode).toBe(422);
    expect((await get(`${deviceId}/metrics/health?range=30d&resolution=raw`)).statusCode).toBe(422);
    expect((await get(`${otherDevice}/metrics/health?range=1h`)).statusCode).toBe(404);
  });
});

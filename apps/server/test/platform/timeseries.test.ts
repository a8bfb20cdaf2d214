import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../src/platform/db/tx.js';
import { dropExpiredPartitions, ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { runRollups } from '../../src/platform/timeseries/rollups.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createTenant } from '../poller/poller-fixture.js';

let ctx: TestContext;
let a: string;
let b: string;
const DAY = 86_400_000;
const tables = seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 });

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createTenant(ctx);
  b = await createTenant(ctx);
});
afterAll(async () => ctx?.close());

async function partitions(table: string): Promise<string[]> {
  const r = await ctx.pools.owner.query<{ relname: string }>(
    `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = $1 order by 1`,
    [table],
  );
  return r.rows.map((x) => x.relname);
}

async function insertHealth(tenant: string, device: string, at: Date, cpu: number) {
  await ctx.pools.system.query(
    `insert into metrics_health (tenant_id, device_id, time, cpu_load, memory_free, memory_total) values ($1, $2, $3, $4, 100, 200)`,
    [tenant, device, at, cpu],
  );
}

describe('time-series storage', () => {
  it('makes daily partitions ahead, idempotently, and drops whole expired ones', async () => {
    const now = Date.UTC(2030, 0, 10, 12);
    const made = await ensurePartitions(ctx.pools.owner, tables, { now, aheadDays: 2, behindDays: 5 });
    expect(made).toContain('metrics_health_20300112');
    expect(made).toContain('metrics_health_20300108'); // raw keeps 2 days, so at most 2 behind
    expect(made).not.toContain('metrics_health_20300107');
    expect(made).toContain('metrics_health_1h_20300105');
    expect(await ensurePartitions(ctx.pools.owner, tables, { now, aheadDays: 2, behindDays: 5 })).toEqual([]);
    // Four days later the oldest raw partitions end before now - 2 days: dropped; rollups keep theirs.
    const dropped = await dropExpiredPartitions(ctx.pools.owner, tables, now + 4 * DAY);
    expect(dropped).toEqual(expect.arrayContaining(['metrics_health_20300108', 'metrics_health_20300111']));
    expect(dropped).not.toContain('metrics_health_20300112');
    expect(dropped.some((p) => p.startsWith('metrics_health_1h'))).toBe(false);
    expect(await partitions('metrics_health')).toContain('metrics_health_20300112');
  });

  it('isolates tenants through the parent, and the app role cannot reach partitions directly', async () => {
    await ensurePartitions(ctx.pools.owner, tables);
    const now = new Date();
    await insertHealth(a, randomUUID(), now, 10);
    await insertHealth(b, randomUUID(), now, 20);
    const seen = await withTenant(ctx.pools.app, a, (c) => c.query('select tenant_id, cpu_load from metrics_health'));
    expect(seen.rows).toEqual([{ tenant_id: a, cpu_load: 10 }]);
    const none = await withTenant(ctx.pools.app, null, (c) => c.query('select * from metrics_health'));
    expect(none.rowCount).toBe(0);
    const part = (await partitions('metrics_health')).find((p) =>
      p.endsWith(now.toISOString().slice(0, 10).replaceAll('-', '')),
    )!;
    await expect(withTenant(ctx.pools.app, a, (c) => c.query(`select * from ${part}`))).rejects.toThrow(
      /permission denied/,
    );
    // Requests read metrics; they cannot write them.
    await expect(
      withTenant(ctx.pools.app, a, (c) =>
        c.query('insert into metrics_health (tenant_id, device_id, time) values ($1, $2, now())', [a, randomUUID()]),
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it('rolls up to 5 minutes and 1 hour from a watermark, so an outage leaves no gap', async () => {
    // A separate database state: rollups start from the oldest raw row.
    const dev = randomUUID();
    const hourAgo = Math.floor((Date.now() - 3 * 3_600_000) / 3_600_000) * 3_600_000;
    await ensurePartitions(ctx.pools.owner, tables, { behindDays: 1 });
    // One sample a minute for 2 hours: cpu = minute of the hour.
    for (let m = 0; m < 120; m++) await insertHealth(a, dev, new Date(hourAgo + m * 60_000), m % 60);
    // First run stops half way (as if the worker died), the second catches up from the watermark.
    const first = await runRollups(ctx.pools.system, { now: hourAgo + 60 * 60_000 + 90_000 });
    expect(first.health_5m).toBeGreaterThan(0);
    const second = await runRollups(ctx.pools.system, { now: hourAgo + 130 * 60_000 + 90_000 });
    expect(second.health_5m).toBeGreaterThan(0);
    const five = await ctx.pools.system.query(
      'select bucket, samples, cpu_avg, cpu_max from metrics_health_5m where device_id = $1 order by bucket',
      [dev],
    );
    expect(five.rows).toHaveLength(24); // every 5-minute bucket of both hours, none missing
    expect(five.rows.every((r) => r.samples === 5)).toBe(true);
    expect(five.rows[0]).toMatchObject({ cpu_avg: 2, cpu_max: 4 });
    const hour = await ctx.pools.system.query(
      'select bucket, samples, cpu_avg, cpu_max from metrics_health_1h where device_id = $1 order by bucket',
      [dev],
    );
    expect(hour.rows).toHaveLength(2);
    expect(hour.rows[0]).toMatchObject({ samples: 60, cpu_avg: 29.5, cpu_max: 59 });
    // Re-running is a no-op (idempotent, nothing new to do).
    const third = await runRollups(ctx.pools.system, { now: hourAgo + 130 * 60_000 + 90_000 });
    expect(third.health_5m).toBe(0);
  });

  it('refuses a direct login as app to see other tenants even with a forged setting', async () => {
    const url = new URL(ctx.ownerUrl);
    url.username = 'app';
    url.password = ctx.config.dbAppPassword;
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    try {
      await c.query(`select set_config('app.tenant_id', $1, false)`, [b]);
      const r = await c.query('select tenant_id from metrics_health');
      expect(r.rows.every((x) => x.tenant_id === b)).toBe(true);
    } finally {
      await c.end();
    }
  });
});

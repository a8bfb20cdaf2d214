import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSchedule, nextRun, schedulerPass } from '../../src/features/config-backups/schedule.js';
import { createPools } from '../../src/platform/db/pools.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { TEST_DB_PASSWORDS } from '../helpers/constants.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { type Seed, seed } from '../helpers/seed.js';

// Backup schedules: cron in a time zone with a stable per-device offset, validation, and exactly-once queuing with
// two worker processes.

describe('nextRun', () => {
  const daily = { cron: '0 2 * * *', timezone: 'UTC', enabled: true };

  it('spreads devices over the hour after the cron time, stably per device', () => {
    const after = new Date('2026-12-02T03:30:00Z');
    const runs = Array.from(
      { length: 200 },
      (_, i) => nextRun(daily, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, after)!,
    );
    for (const r of runs) {
      expect(r.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-12-03T02:00:00Z'));
      expect(r.getTime()).toBeLessThan(Date.parse('2026-12-03T03:00:00Z'));
    }
    expect(new Set(runs.map((r) => Math.floor(r.getTime() / 60_000))).size).toBeGreaterThan(40);
    const id = '00000000-0000-4000-8000-000000000001';
    expect(nextRun(daily, id, after)).toEqual(nextRun(daily, id, after));
  });

  it('honours the time zone, including daylight saving', () => {
    const id = '00000000-0000-4000-8000-000000000002';
    const r = nextRun(
      { cron: '0 2 * * *', timezone: 'Europe/Berlin', enabled: true },
      id,
      new Date('2026-07-01T12:00:00Z'),
    )!;
    // 02:00 in Berlin in July is 00:00 UTC; the offset is under an hour.
    expect(r.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-07-02T00:00:00Z'));
    expect(r.getTime()).toBeLessThan(Date.parse('2026-07-02T01:00:00Z'));
  });

  it('does not skip a run whose base time has passed but whose offset has not', () => {
    const id = '00000000-0000-4000-8000-000000000003';
    const today = nextRun(daily, id, new Date('2026-12-02T01:59:00Z'))!;
    expect(nextRun(daily, id, new Date('2026-12-02T02:00:00Z'))).toEqual(today);
  });

  it('is null when the schedule is off', () => {
    expect(nextRun({ ...daily, enabled: false }, 'x', new Date())).toBeNull();
  });

  it('refuses bad cron expressions, unknown time zones and runs more often than every 15 minutes', () => {
    expect(() => checkSchedule({ cron: 'every night', timezone: 'UTC', enabled: true })).toThrow(/cron/);
    expect(() => checkSchedule({ cron: '0 2 * * *', timezone: 'Mars/Olympus', enabled: true })).toThrow(/time zone/);
    expect(() => checkSchedule({ cron: '*/5 * * * *', timezone: 'UTC', enabled: true })).toThrow(/15 minutes/);
    expect(() => checkSchedule({ cron: '*/15 * * * *', timezone: 'UTC', enabled: true })).not.toThrow();
  });
});

describe('schedules over the API and exactly once across workers', () => {
  let ctx: TestContext;
  let s: Seed;
  beforeAll(async () => {
    ctx = await createTestContext();
    s = await seed(ctx);
  }, 60_000);
  afterAll(() => ctx?.close());

  it('answers the effective schedule and where it comes from', async () => {
    const admin = apiAs(ctx, s, 'admin');
    const base = `/api/tenants/${s.a.id}`;
    const dev = await factories(ctx, s).device();
    const url = `${base}/devices/${dev.id}/config/schedules`;
    expect(expectStatus(await admin.get(url), 200)).toMatchObject({
      cron: '0 2 * * *',
      timezone: 'UTC',
      source: 'default',
    });
    expectStatus(
      await admin.put(`${base}/config/schedules`, { cron: '0 3 * * 1', timezone: 'Asia/Bangkok', enabled: true }),
      200,
    );
    expect(expectStatus(await admin.get(url), 200)).toMatchObject({ cron: '0 3 * * 1', source: 'organization' });
    expectStatus(await admin.put(url, { cron: '30 4 * * *', timezone: 'UTC', enabled: false }), 200);
    expect(expectStatus(await admin.get(url), 200)).toMatchObject({
      cron: '30 4 * * *',
      enabled: false,
      source: 'device',
    });
    expectStatus(await admin.put(url, { inherit: true }), 200);
    expect(expectStatus(await admin.get(url), 200)).toMatchObject({ source: 'organization' });
    const bad = await admin.put(url, { cron: '* * * * *', timezone: 'UTC', enabled: true });
    expect(expectStatus<{ code: string }>(bad, 422).code).toBe('invalid_schedule');
  });

  it('queues each due device exactly once when two workers run the scheduler at the same time', async () => {
    const f = factories(ctx, s);
    const devices = await Promise.all(Array.from({ length: 30 }, () => f.device()));
    const other = createPools({
      ownerUrl: ctx.ownerUrl,
      appPassword: TEST_DB_PASSWORDS.app,
      systemPassword: TEST_DB_PASSWORDS.system,
      appMax: 4,
      systemMax: 4,
      statementTimeoutMs: 10_000,
    });
    try {
      await schedulerPass(ctx.pools.system);
      // Every device is due now.
      await ctx.pools.system.query(`update config_device_state set next_run_at = now() - interval '1 second'`);
      const [a, b] = await Promise.all([schedulerPass(ctx.pools.system), schedulerPass(other.system)]);
      const jobs = await ctx.pools.system.query(
        `select device_id, count(*)::int as n from config_jobs where trigger = 'schedule' group by device_id`,
      );
      const ids = new Set(devices.map((d) => d.id));
      const mine = jobs.rows.filter((r) => ids.has(r.device_id));
      expect(mine.length).toBe(30);
      expect(mine.every((r) => r.n === 1)).toBe(true);
      expect(a.queued + b.queued).toBeGreaterThanOrEqual(30);
      const next = await ctx.pools.system.query(
        `select count(*)::int as n from config_device_state where device_id = any($1) and next_run_at > now()`,
        [[...ids]],
      );
      expect(next.rows[0].n).toBe(30);
      // Run again: nothing more is due.
      expect((await schedulerPass(other.system)).queued).toBe(0);
    } finally {
      await other.end();
    }
  });
});

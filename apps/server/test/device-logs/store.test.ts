import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintainLogPartitions } from '../../src/features/device-logs/device-logs.partitions.js';
import { deviceLogsRepo, type LogInsertRow } from '../../src/features/device-logs/device-logs.repo.js';
import type { LogItem, LogsPage } from '../../src/features/device-logs/device-logs.schema.js';
import type { LogLine, PollResult } from '../../src/features/poller/types.js';
import { withSystem, withTenant } from '../../src/platform/db/tx.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { type Seed, seed } from '../helpers/seed.js';

// Storing and searching log lines: the batch insert ingest calls (duplicates and lines without a partition
// skipped), the API's filters and keyset pages, row-level security, and retention by whole partitions.

let ctx: TestContext;
let s: Seed;
let devA: string;
let devA2: string;
let devB: string;
const DAY = 86_400_000;
const t0 = Date.now() - 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const result = (tenantId: string, deviceId: string, logs: LogLine[], at = iso(t0)) =>
  ({ v: 1, tenantId, deviceId, at, logs }) as unknown as PollResult;
const line = (id: number, msAgo: number, topics: string, message: string): LogLine => ({
  id: `*${id.toString(16).toUpperCase()}`,
  time: iso(t0 - msAgo),
  topics: topics.split(','),
  message,
});
const store = (results: PollResult[]) =>
  withSystem(ctx.pools.system, (db) => deviceLogsRepo.insertFromResults(db, results));
const count = async (deviceId: string) =>
  Number(
    (await ctx.pools.system.query('select count(*) from device_logs where device_id = $1', [deviceId])).rows[0].count,
  );
const list = async (url: string, caller: 'viewer' | 'admin' = 'viewer') =>
  expectStatus<LogsPage>(await apiAs(ctx, s, caller).get(url), 200);

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  await maintainLogPartitions(ctx.pools.owner, 30, { behindDays: 3 });
  devA = (await factories(ctx, s).device()).id;
  devA2 = (await factories(ctx, s).device()).id;
  devB = (await factories(ctx, s, s.b).device()).id;
});
afterAll(() => ctx?.close());

describe('storing poll lines', () => {
  it('stores each line once: a redelivered result and the buffer sent again add nothing', async () => {
    const lines = [
      line(1, 50_000, 'system,info,account', 'user admin logged in from 10.0.0.2 via winbox'),
      line(2, 40_000, 'system,error,critical', 'login failure for user eve from 10.0.0.9 via ssh'),
      line(3, 30_000, 'firewall,info', 'input: in:ether1 out:(unknown 0), proto TCP (SYN), 10.0.0.9:5555->10.0.0.1:22'),
      line(4, 20_000, 'dhcp,warning', 'dhcp1 offering lease 10.0.0.50 for 4C:5E:0C:00:00:01 without success'),
      line(5, 10_000, 'script,info', 'backup 100% done_ok'),
    ];
    expect(await store([result(s.a.id, devA, lines)])).toBe(5);
    expect(await store([result(s.a.id, devA, lines)])).toBe(0);
    // After a poller restart the whole buffer comes again, with one new line.
    expect(
      await store([result(s.a.id, devA, [...lines, line(6, 5_000, 'system,info', 'ip address added by admin')])]),
    ).toBe(1);
    expect(await count(devA)).toBe(6);
    // The same id after a reboot is another line (another time).
    expect(await store([result(s.a.id, devA, [line(1, 1_000, 'system,info', 'router rebooted')])])).toBe(1);
  });

  it('skips lines of a day without a partition, of a device of another organisation, of a deleted device', async () => {
    const old = { ...line(9, 0, 'system,info', 'from 1970'), time: '1970-01-02T02:00:09.000Z' };
    const future = { ...line(10, 0, 'system,info', 'clock ahead'), time: iso(Date.now() + 30 * DAY) };
    expect(await store([result(s.a.id, devA2, [old, future])])).toBe(0);
    expect(await store([result(s.a.id, devB, [line(11, 0, 'system,info', 'wrong tenant')])])).toBe(0);
    expect(await store([result(s.a.id, '00000000-0000-4000-8000-000000000000', [line(12, 0, 'x,info', 'gone')])])).toBe(
      0,
    );
    expect(await count(devB)).toBe(0);
  });
});

describe('searching', () => {
  beforeAll(async () => {
    const rows: LogInsertRow[] = [];
    // Seven syslog lines at the very same time (the id breaks the tie), and one in tenant B.
    for (let i = 0; i < 7; i++)
      rows.push({
        tenant_id: s.a.id,
        device_id: devA2,
        time: iso(t0 - 2 * DAY),
        received_at: iso(t0),
        source: 'syslog',
        topics: ['wireless', 'info'],
        severity: 'info',
        message: `wlan1 connected 50% of ${i}`,
        entry_id: null,
      });
    rows.push({ ...rows[0]!, tenant_id: s.b.id, device_id: devB, message: 'tenant b secret login' });
    expect(await withSystem(ctx.pools.system, (db) => deviceLogsRepo.insertRows(db, rows))).toBe(8);
  });

  it("one device's lines, newest first, with its name", async () => {
    const p = await list(`/api/tenants/${s.a.id}/devices/${devA}/logs`);
    expect(p.items.map((i) => i.message)).toEqual([
      'router rebooted',
      'ip address added by admin',
      'backup 100% done_ok',
      'dhcp1 offering lease 10.0.0.50 for 4C:5E:0C:00:00:01 without success',
      'input: in:ether1 out:(unknown 0), proto TCP (SYN), 10.0.0.9:5555->10.0.0.1:22',
      'login failure for user eve from 10.0.0.9 via ssh',
      'user admin logged in from 10.0.0.2 via winbox',
    ]);
    expect(p.items[5]).toMatchObject({
      device_id: devA,
      source: 'poll',
      severity: 'critical',
      topics: ['system', 'error', 'critical'],
    } satisfies Partial<LogItem>);
    expect(p.items[0]?.device_name).toMatch(/^router-/);
    expect(p.next_cursor).toBeNull();
  });

  it('filters by topic, severities, text (taken literally) and time', async () => {
    const base = `/api/tenants/${s.a.id}/logs`;
    const msgs = async (q: string) => (await list(`${base}?${q}`)).items.map((i) => i.message);
    expect(await msgs('topic=firewall')).toEqual([expect.stringMatching(/^input: in:ether1/)]);
    expect(await msgs('severity=error,critical,warning')).toEqual([
      expect.stringMatching(/^dhcp1 offering/),
      expect.stringMatching(/^login failure/),
    ]);
    expect(await msgs('q=LOGIN%20FAILURE')).toEqual([expect.stringMatching(/^login failure/)]);
    expect(await msgs('q=100%25')).toEqual(['backup 100% done_ok']);
    expect(await msgs('q=0_o')).toEqual([]);
    expect(await msgs(`q=done_ok&device_id=${devA2}`)).toEqual([]);
    expect(
      await msgs(`from=${encodeURIComponent(iso(t0 - 25_000))}&to=${encodeURIComponent(iso(t0 - 8_000))}`),
    ).toEqual(['backup 100% done_ok', expect.stringMatching(/^dhcp1 offering/)]);
    expect((await list(`${base}?device_id=${devA2}`)).items).toHaveLength(7);
  });

  it('pages by cursor with a tie-breaker: every line once, in order', async () => {
    const seen: string[] = [];
    let url = `/api/tenants/${s.a.id}/logs?device_id=${devA2}&limit=3`;
    let pages = 0;
    for (;;) {
      const p = await list(url);
      pages++;
      seen.push(...p.items.map((i) => i.message));
      if (!p.next_cursor) break;
      url = `/api/tenants/${s.a.id}/logs?device_id=${devA2}&limit=3&cursor=${p.next_cursor}`;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `wlan1 connected 50% of ${i}`));
  });

  it('refuses a forged cursor, a limit over 500, an unknown severity', async () => {
    const viewer = apiAs(ctx, s, 'viewer');
    const base = `/api/tenants/${s.a.id}/logs`;
    for (const c of ['garbage', Buffer.from('2026-01-01T00:00:00Z|1; drop table x').toString('base64url')])
      expect(expectStatus(await viewer.get(`${base}?cursor=${c}`), 400)).toMatchObject({ code: 'invalid_cursor' });
    expect((await viewer.get(`${base}?limit=501`)).statusCode).toBe(422);
    expect((await viewer.get(`${base}?severity=fatal`)).statusCode).toBe(422);
  });

  it('another organisation sees none of it: API, its own list, and SQL as the app role', async () => {
    const b = apiAs(ctx, s, 'admin', s.b);
    expect((await b.get(`/api/tenants/${s.b.id}/devices/${devA}/logs`)).statusCode).toBe(404);
    const own = expectStatus<LogsPage>(await b.get(`/api/tenants/${s.b.id}/logs`), 200);
    expect(own.items.map((i) => i.message)).toEqual(['tenant b secret login']);
    const a = await list(`/api/tenants/${s.a.id}/logs?q=secret`, 'admin');
    expect(a.items).toEqual([]);
    const asApp = await withTenant(ctx.pools.app, s.b.id, (db) =>
      db.query('select count(*)::int as n from device_logs where device_id = any($1)', [[devA, devA2]]),
    );
    expect(asApp.rows[0].n).toBe(0);
    await expect(
      withTenant(ctx.pools.app, s.a.id, (db) =>
        db.query(
          `insert into device_logs (tenant_id, device_id, time, source, severity, message)
                  values ($1, $2, now(), 'syslog', 'info', 'forged')`,
          [s.a.id, devA],
        ),
      ),
    ).rejects.toThrow(/permission denied/);
  });
});

describe('partitions and retention', () => {
  it('makes daily partitions back to the retention, indexed for the list, reachable only through the parent', async () => {
    const parts = (
      await ctx.pools.owner.query(
        `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'device_logs'::regclass order by 1`,
      )
    ).rows.map((r) => r.relname as string);
    expect(parts.length).toBeGreaterThanOrEqual(6);
    const idx = await ctx.pools.owner.query(`select indexname from pg_indexes where tablename = 'device_logs'`);
    expect(idx.rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining(['device_logs_tenant_time', 'device_logs_device_time', 'device_logs_severity_time']),
    );
    // Migration 071: a trigram index is never used under row-level security (ILIKE is not leakproof).
    expect(idx.rows.map((r) => r.indexname)).not.toContain('device_logs_message_trgm');
    await expect(
      withTenant(ctx.pools.app, s.a.id, (db) => db.query(`select count(*) from ${parts.at(-1)}`)),
    ).rejects.toThrow(/permission denied/);
  });

  it('drops whole days past the retention (and their lines)', async () => {
    const before = await count(devA2);
    expect(before).toBe(7);
    // Two days on, with a one-day retention: the day of the syslog lines (two days ago) is past it.
    const { dropped } = await maintainLogPartitions(ctx.pools.owner, 1, { now: Date.now() + DAY, behindDays: 0 });
    expect(dropped.length).toBeGreaterThanOrEqual(1);
    expect(await count(devA2)).toBe(0);
    expect(await count(devA)).toBe(7);
  });
});

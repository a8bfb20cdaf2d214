import pg from 'pg';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../../src/platform/db/tx.js';
import { createKeyAccessLog, type KeyAccess, pruneKeyAccessLog } from '../../../src/platform/kms/access-log.js';
import { useByPoller, useByWorker } from '../../../src/platform/kms/key-use.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

// The key-access log's writer: uses counted in memory per minute and upserted in batches, bounded, flushed at stop.

let ctx: TestContext;
let tenant: string;
const quiet = pino({ level: 'silent' });

beforeAll(async () => {
  ctx = await createTestContext();
  tenant = (await ctx.pools.owner.query("insert into tenants (name) values ('log') returning id")).rows[0].id;
});
afterAll(() => ctx?.close());

const access = (object: string, over: Partial<KeyAccess> = {}): KeyAccess => ({
  tenantId: tenant,
  op: 'decrypt',
  use: useByPoller(),
  provider: 'local',
  keyVersion: 1,
  object,
  ...over,
});
const rowsOf = async (object: string) =>
  (
    await ctx.pools.owner.query<{ count: number; period_start: Date; actor_kind: string; purpose: string }>(
      'select count, period_start, actor_kind, purpose from key_access_log where object = $1 order by period_start',
      [object],
    )
  ).rows;

describe('key-access log', () => {
  it('counts identical uses of a minute in one row, across flushes', async () => {
    const log = createKeyAccessLog({ systemPool: ctx.pools.system, log: quiet, flushMs: 60_000 });
    for (let i = 0; i < 1000; i++) log.record(access('device:a:password'));
    expect(log.pending).toBeLessThanOrEqual(2);
    await log.flush();
    for (let i = 0; i < 500; i++) log.record(access('device:a:password'));
    await log.stop();
    const rows = await rowsOf('device:a:password');
    // A minute boundary may fall inside the loop: at most two rows, never one per use.
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(1500);
    expect(rows[0]).toMatchObject({ actor_kind: 'poller', purpose: 'poll' });
    expect(rows[0]!.period_start.getUTCSeconds()).toBe(0);
  });

  it('a longer period (KEY_ACCESS_PERIOD_SECONDS) makes one row of an hour of uses', async () => {
    const log = createKeyAccessLog({ systemPool: ctx.pools.system, log: quiet, flushMs: 60_000, periodMs: 3_600_000 });
    for (let i = 0; i < 10; i++) log.record(access('device:hour:password'));
    await log.stop();
    const [row] = await rowsOf('device:hour:password');
    expect(row!.count).toBe(10);
    expect(row!.period_start.getTime() % 3_600_000).toBe(0);
  });

  it('keeps different actors, purposes and objects apart', async () => {
    const log = createKeyAccessLog({ systemPool: ctx.pools.system, log: quiet, flushMs: 60_000 });
    log.record(access('device:b:password'));
    log.record(access('device:b:password', { use: useByWorker('backup') }));
    log.record(access('device:c:password'));
    await log.stop();
    expect((await rowsOf('device:b:password')).map((r) => r.actor_kind).sort()).toEqual(['poller', 'worker']);
    expect(await rowsOf('device:c:password')).toHaveLength(1);
  });

  it('is bounded: past its cap new uses are dropped and counted, never buffered', async () => {
    const registry = new Registry();
    const warned: unknown[] = [];
    const log = createKeyAccessLog({
      systemPool: ctx.pools.system,
      log: pino({ level: 'warn' }, { write: (m: string) => warned.push(JSON.parse(m)) }),
      registry,
      flushMs: 60_000,
      maxEntries: 10,
    });
    for (let i = 0; i < 25; i++) log.record(access(`device:cap-${i}:password`));
    // An entry already buffered still counts up.
    log.record(access('device:cap-0:password'));
    expect(log.pending).toBe(10);
    await log.stop();
    const dropped = (await registry.getSingleMetric('mikrotik_key_access_dropped_total')?.get())?.values[0]?.value;
    expect(dropped).toBe(15);
    expect(warned).toContainEqual(
      expect.objectContaining({ dropped: 15, msg: expect.stringContaining('buffer full') }),
    );
    expect((await rowsOf('device:cap-0:password'))[0]?.count).toBe(2);
    expect(await rowsOf('device:cap-20:password')).toEqual([]);
  });

  it('a failed write keeps the entries for the next flush (within the cap)', async () => {
    const broken = new pg.Pool({ connectionString: 'postgres://nobody:x@127.0.0.1:1/none', max: 1 });
    const log = createKeyAccessLog({ systemPool: broken, log: quiet, flushMs: 60_000, maxEntries: 5 });
    for (let i = 0; i < 3; i++) log.record(access(`device:fail-${i}:password`));
    await log.flush();
    expect(log.pending).toBe(3);
    await log.stop();
    await broken.end();
  });

  it('writes through a timer without being asked, and stop() leaves nothing behind', async () => {
    const log = createKeyAccessLog({ systemPool: ctx.pools.system, log: quiet, flushMs: 100 });
    log.record(access('device:timer:password'));
    await expect.poll(async () => (await rowsOf('device:timer:password')).length, { timeout: 3000 }).toBe(1);
    log.record(access('device:last:password'));
    await log.stop();
    expect(log.pending).toBe(0);
    expect(await rowsOf('device:last:password')).toHaveLength(1);
  });

  it('requests may read their own tenant rows but not write any; retention removes old periods', async () => {
    await expect(
      withTenant(ctx.pools.app, tenant, (db) =>
        db.query(
          `insert into key_access_log (tenant_id, period_start, op, actor_kind, actor_label, provider, key_version, object,
                                       purpose, count, first_at, last_at)
           values ($1, now(), 'decrypt', 'user', 'x', 'local', 1, 'o', 'p', 1, now(), now())`,
          [tenant],
        ),
      ),
    ).rejects.toThrow(/permission denied/);
    const seen = await withTenant(ctx.pools.app, tenant, (db) =>
      db.query('select count(*)::int as n from key_access_log'),
    );
    expect(seen.rows[0].n).toBeGreaterThan(0);
    const other = (await ctx.pools.owner.query("insert into tenants (name) values ('other') returning id")).rows[0].id;
    const none = await withTenant(ctx.pools.app, other, (db) =>
      db.query('select count(*)::int as n from key_access_log'),
    );
    expect(none.rows[0].n).toBe(0);

    await ctx.pools.owner.query(
      "update key_access_log set period_start = now() - interval '100 days' where object = 'device:c:password'",
    );
    expect(await pruneKeyAccessLog(ctx.pools.system, 90, 1)).toBe(1);
    expect(await rowsOf('device:c:password')).toEqual([]);
    expect(await rowsOf('device:last:password')).toHaveLength(1);
  });
});

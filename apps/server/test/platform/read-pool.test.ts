import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPools, type Pools } from '../../src/platform/db/pools.js';
import { readInTenant } from '../../src/platform/db/tx.js';
import { TEST_DB_PASSWORDS } from '../helpers/constants.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { type Seed, seed } from '../helpers/seed.js';

// readInTenant keeps a tenant on a read connection between checkouts (platform/db/tx.ts). With one connection, every
// read reuses the connection the other tenant used just before: each must still see only its own rows.
let ctx: TestContext;
let s: Seed;
let pools: Pools;

const tags = (pool: pg.Pool, tenant: string | null) =>
  readInTenant(
    pool,
    tenant,
    async (db) =>
      (
        await db.query<{ name: string; tenant_id: string }>(
          "select name, tenant_id from device_tags where name like '%-only' order by name",
        )
      ).rows,
  );

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  const owner = new pg.Client({ connectionString: ctx.ownerUrl });
  await owner.connect();
  await owner.query(`insert into device_tags (tenant_id, name) values ($1, 'a-only'), ($2, 'b-only')`, [
    s.a.id,
    s.b.id,
  ]);
  await owner.end();
  pools = createPools({
    ownerUrl: ctx.ownerUrl,
    appPassword: TEST_DB_PASSWORDS.app,
    systemPassword: TEST_DB_PASSWORDS.system,
    appMax: 1,
    readMax: 1,
    systemMax: 1,
    statementTimeoutMs: 10_000,
  });
});
afterAll(async () => {
  await pools?.end();
  await ctx?.close();
});

describe('read connections pinned to a tenant', () => {
  it('give each reader only its own tenant, however the readers alternate on one connection', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await tags(pools.read, s.a.id)).map((r) => r.name)).toEqual(['a-only']);
      expect((await tags(pools.read, s.a.id)).map((r) => r.name)).toEqual(['a-only']);
      expect((await tags(pools.read, s.b.id)).map((r) => r.name)).toEqual(['b-only']);
      expect(await tags(pools.read, null)).toEqual([]);
    }
    // Concurrent readers of both tenants queue on the one connection.
    const both = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? s.a.id : s.b.id)).map(async (t) => ({
        t,
        rows: await tags(pools.read, t),
      })),
    );
    for (const { t, rows } of both) expect(rows.every((r) => r.tenant_id === t) && rows.length === 1).toBe(true);
  });

  it('are read-only: a write through them fails and changes nothing', async () => {
    await expect(
      readInTenant(pools.read, s.a.id, (db) =>
        db.query(`insert into device_tags (tenant_id, name) values ($1, 'sneaky')`, [s.a.id]),
      ),
    ).rejects.toMatchObject({ code: '25006' });
    expect((await tags(pools.read, s.a.id)).map((r) => r.name)).toEqual(['a-only']);
  });

  it('stay right after a failed statement and after an error thrown between statements', async () => {
    await expect(readInTenant(pools.read, s.a.id, (db) => db.query('select 1/0'))).rejects.toMatchObject({
      code: '22012',
    });
    expect((await tags(pools.read, s.b.id)).map((r) => r.name)).toEqual(['b-only']);
    await expect(
      readInTenant(pools.read, s.b.id, async () => {
        throw new Error('not a database error');
      }),
    ).rejects.toThrow('not a database error');
    expect((await tags(pools.read, s.a.id)).map((r) => r.name)).toEqual(['a-only']);
  });

  it('refuses a tenant id that is not a UUID', async () => {
    await expect(tags(pools.read, "x' or true --")).rejects.toThrow(/UUID/);
  });

  it('fall back to a transaction on a pool that is not a read pool', async () => {
    expect((await tags(pools.app, s.b.id)).map((r) => r.name)).toEqual(['b-only']);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheStatements, preparable } from '../../src/platform/db/statement-cache.js';
import { createTestDatabase } from '../helpers/database.js';

// The pools prepare their data statements once per connection (platform/db/statement-cache.ts). PostgreSQL's own
// pg_prepared_statements view is the witness of what was prepared on a connection.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
  const c = new pg.Client({ connectionString: db.ownerUrl });
  await c.connect();
  await c.query('create table sc_items (id int primary key, label text)');
  await c.query("insert into sc_items select i, 'item ' || i from generate_series(1, 5) i");
  await c.end();
});
afterAll(() => db.drop());

const pool = (size: number) => cacheStatements(new pg.Pool({ connectionString: db.ownerUrl, max: 1 }), size);
/** `fn` on the one connection of a fresh pool whose statement cache holds `size`; the pool ends after. */
async function onConnection(size: number, fn: (c: pg.PoolClient) => Promise<void>) {
  const p = pool(size);
  const c = await p.connect();
  try {
    await fn(c);
  } finally {
    c.release();
    await p.end();
  }
}
// The trailing `;` keeps this query itself from being prepared (it would take a place in the cache).
const prepared = async (c: pg.PoolClient) =>
  (
    await c.query<{ name: string; statement: string }>(
      'select name, statement from pg_prepared_statements order by name;',
    )
  ).rows;

describe('statement cache', () => {
  it('prepares a data statement once per connection and reuses it', async () => {
    await onConnection(10, async (c) => {
      for (let i = 1; i <= 3; i++) {
        const r = await c.query('select label from sc_items where id = $1', [i]);
        expect(r.rows[0].label).toBe(`item ${i}`);
      }
      const mine = (await prepared(c)).filter((s) => s.statement.includes('sc_items'));
      expect(mine).toHaveLength(1);
      expect(mine[0]!.name).toMatch(/^tod_\d+$/);
    });
  });

  it('keeps at most its size per connection, deallocating the least recently used', async () => {
    await onConnection(2, async (c) => {
      await c.query('select 1 + $1::int as a', [1]);
      await c.query('select 2 + $1::int as b', [1]);
      await c.query('select 1 + $1::int as a', [1]); // now the most recent
      await c.query('select 3 + $1::int as c', [1]); // evicts "select 2"
      const texts = (await prepared(c)).map((s) => s.statement).filter((s) => s.includes('$1::int'));
      expect(texts.sort()).toEqual(['select 1 + $1::int as a', 'select 3 + $1::int as c']);
      // An evicted statement is prepared again under a new name when it comes back.
      expect((await c.query('select 2 + $1::int as b', [1])).rows[0].b).toBe(3);
    });
  });

  it('leaves transaction control, several statements and DDL unprepared', async () => {
    expect(preparable('begin')).toBe(false);
    expect(preparable("begin; select set_config('app.tenant_id', '', true)")).toBe(false);
    expect(preparable('create table x (a int)')).toBe(false);
    expect(preparable('  WITH a AS (select 1) select * from a')).toBe(true);
    await onConnection(10, async (c) => {
      await c.query("begin; select set_config('app.x', 'y', true)");
      expect((await c.query("select current_setting('app.x') as v")).rows[0].v).toBe('y');
      await c.query('commit');
      expect((await prepared(c)).some((s) => s.statement.startsWith('begin'))).toBe(false);
    });
  });

  it('answers through pool.query, with and without values', async () => {
    const p = pool(10);
    try {
      expect((await p.query('select count(*)::int as n from sc_items')).rows[0].n).toBe(5);
      expect((await p.query('select label from sc_items where id = $1', [2])).rows[0].label).toBe('item 2');
      expect((await p.query({ text: 'select label from sc_items where id = $1', values: [4] })).rows[0].label).toBe(
        'item 4',
      );
    } finally {
      await p.end();
    }
  });

  it('recovers from a statement that a migration made stale: it fails once, then is prepared again', async () => {
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      await onConnection(10, async (c) => {
        await owner.query('create table sc_grow (id int)');
        await owner.query('insert into sc_grow values (1)');
        expect((await c.query('select * from sc_grow where id = $1', [1])).rows[0]).toEqual({ id: 1 });
        await owner.query('alter table sc_grow add column extra text');
        await expect(c.query('select * from sc_grow where id = $1', [1])).rejects.toMatchObject({ code: '0A000' });
        expect((await c.query('select * from sc_grow where id = $1', [1])).rows[0]).toEqual({ id: 1, extra: null });
      });
    } finally {
      await owner.end();
    }
  });

  it('is switched off by size 0', async () => {
    await onConnection(0, async (c) => {
      await c.query('select label from sc_items where id = $1', [1]);
      expect((await prepared(c)).filter((s) => s.statement.includes('sc_items'))).toHaveLength(0);
    });
  });
});

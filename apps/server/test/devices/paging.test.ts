import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeviceJsonCache, type DeviceJsonCache } from '../../src/features/devices/devices.json-cache.js';
import { type DeviceFilter, devicesRepo } from '../../src/features/devices/devices.repo.js';
import { readInTenant } from '../../src/platform/db/tx.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { walkPages } from '../helpers/paging.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

// Keyset pages of the device list: walking `next_cursor` visits every device once, in the sort's order (a missing
// value sorts lowest, ties broken by id), the same order as offsets; a cursor is bound to its sort.

let ctx: TestContext;
let s: Seed;
const N = 57;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  // Duplicated and missing values on purpose: ties and nulls are where keyset paging goes wrong.
  await ctx.pools.owner.query(
    `insert into devices (tenant_id, name, host, username, password_enc, status, model, version, cpu_load, uptime_seconds,
                          last_seen_at)
     select $1, 'Pg-' || (i % 20), '10.7.0.' || i, 'admin', '\\x00', (array['online','offline','unknown'])[1 + i % 3],
            case when i % 4 = 0 then null else 'M' || (i % 3) end, case when i % 5 = 0 then null else '7.' || (i % 4) end,
            case when i % 6 = 0 then null else (i * 7) % 10 end, case when i % 7 = 0 then null else i % 9 end,
            case when i % 8 = 0 then null else timestamptz '2026-01-01' + make_interval(mins => i % 11) end
       from generate_series(1, $2::int) i`,
    [s.a.id, N],
  );
});
afterAll(() => ctx?.close());

type Row = { id: string; [k: string]: unknown };
const get = async (q: string) => {
  const r = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/devices?${q}`, headers: headersFor(s, 'viewer') });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { items: Row[]; total: number; next_cursor: string | null; total_exact: boolean };
};

const keys = ['name', 'host', 'status', 'model', 'version', 'cpu_load', 'uptime_seconds', 'last_seen_at', 'created_at'];

describe('device list pages', () => {
  for (const key of keys)
    for (const sort of [key, `-${key}`])
      it(`walks every device once by cursor, sorted by ${sort}`, async () => {
        const fields = `fields=${key === 'host' || key === 'name' ? key : `${key},name`}`;
        const seen = await walkPages(async (q) => {
          const p = await get(q);
          expect(p.total).toBe(N);
          return p;
        }, `limit=10&sort=${sort}&${fields}`);
        expect(seen).toHaveLength(N);
        expect(new Set(seen.map((r) => r.id)).size).toBe(N);
        // The order, checked independently: missing values lowest, then the value, ties by id, all reversed for -.
        const val = (r: Row) => {
          const v = r[key];
          if (v === null || v === undefined) return null;
          return key === 'name' || key === 'host' ? String(v).toLowerCase() : v;
        };
        const cmp = (a: Row, b: Row) => {
          const x = val(a);
          const y = val(b);
          if (x === null || y === null) return x === y ? (a.id < b.id ? -1 : 1) : x === null ? -1 : 1;
          const c =
            typeof x === 'number' || typeof y === 'number'
              ? Number(x) - Number(y)
              : key.endsWith('_at')
                ? Date.parse(String(x)) - Date.parse(String(y))
                : String(x) < String(y)
                  ? -1
                  : String(x) > String(y)
                    ? 1
                    : 0;
          return c !== 0 ? c : a.id < b.id ? -1 : 1;
        };
        const want = [...seen].sort(cmp);
        if (sort.startsWith('-')) want.reverse();
        expect(seen.map((r) => r.id)).toEqual(want.map((r) => r.id));
        // Offsets give the same order.
        const byOffset = await get(`limit=${N}&sort=${sort}&${fields}`);
        expect(byOffset.items.map((r) => r.id)).toEqual(seen.map((r) => r.id));
        expect(byOffset.next_cursor).not.toBeNull();
      });

  it('refuses a cursor made for another sort, and anything that is not a cursor', async () => {
    const first = await get('limit=5&sort=name');
    const other = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/devices?limit=5&sort=-cpu_load&cursor=${first.next_cursor}`,
      headers: headersFor(s, 'viewer'),
    });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'validation_failed' });
    for (const bad of ['nonsense', Buffer.from('{"s":"name","k":"x","id":"not-a-uuid"}').toString('base64url')]) {
      const r = await ctx.app.inject({
        url: `/api/tenants/${s.a.id}/devices?cursor=${bad}`,
        headers: headersFor(s, 'viewer'),
      });
      expect(r.statusCode).toBe(422);
    }
  });

  it('counts a filtered list exactly, and a search matches name, host or identity with % and _ taken literally', async () => {
    const p = await get('limit=5&search=pg-1&status=online');
    const want = (
      await ctx.pools.owner.query<{ n: number }>(
        "select count(*)::int as n from devices where tenant_id = $1 and status = 'online' and name ilike '%pg-1%'",
        [s.a.id],
      )
    ).rows[0]!.n;
    expect(want).toBeGreaterThan(5);
    expect(p).toMatchObject({ total: want, total_exact: true });
    expect((await get('search=10.7.0.5')).items.map((r) => r.host)).toEqual(expect.arrayContaining(['10.7.0.5']));
    expect((await get('search=pg_1')).total).toBe(0);
    expect((await get('search=100%25')).total).toBe(0);
    // The identity too; and another organisation's device of the same name is never found (the search runs past
    // row-level security through device_search, which keeps to the caller's organisation).
    await ctx.pools.owner.query(
      `update devices set identity = 'Core-Switch-Zx' where tenant_id = $1 and host = '10.7.0.3'`,
      [s.a.id],
    );
    await ctx.pools.owner.query(
      `insert into devices (tenant_id, name, host, username, password_enc, identity)
       values ($1, 'Pg-1-elsewhere', '10.7.0.3', 'admin', '\\x00', 'Core-Switch-Zx')`,
      [s.b.id],
    );
    expect((await get('search=switch-z')).items.map((r) => r.host)).toEqual(['10.7.0.3']);
    expect((await get('search=elsewhere')).total).toBe(0);
    const outside = await ctx.pools.app.query<{ n: number }>("select count(*)::int as n from device_search('%pg-1%')");
    expect(outside.rows[0]!.n).toBe(0);
  });

  it('answers a big page exactly as a small one', async () => {
    // A tag and a group on some devices, so the arrays are not all empty.
    await ctx.pools.owner.query(
      `with t as (insert into device_tags (tenant_id, name) values ($1, 'paging-tag') returning id)
       insert into device_tag_links (tenant_id, device_id, tag_id)
       select $1, d.id, t.id from devices d, t where d.tenant_id = $1 and d.name like 'Pg-1%'`,
      [s.a.id],
    );
    for (const q of [
      'sort=name',
      'sort=-cpu_load&fields=name,cpu_load,tag_ids,last_seen_at',
      'status=online&sort=host',
      'search=pg-1&sort=-uptime_seconds',
    ]) {
      const small = await get(`limit=500&${q}`);
      const big = await get(`limit=501&${q}`);
      expect(big).toEqual({ ...small, limit: 501 });
      expect(small.items.length).toBeGreaterThan(0);
    }
    // A big page that is not the last has a cursor that continues where it stopped (the last test: it adds devices).
    await ctx.pools.owner.query(
      `insert into devices (tenant_id, name, host, username, password_enc)
       select $1, 'Big-' || i, '10.8.' || (i / 256) || '.' || (i % 256), 'admin', '\\x00' from generate_series(1, 600) i`,
      [s.a.id],
    );
    const walked = await walkPages(get, 'limit=100&sort=created_at&fields=name');
    const first = await get('limit=501&sort=created_at&fields=name');
    expect(first.next_cursor).not.toBeNull();
    const rest = await get(`limit=1000&sort=created_at&fields=name&cursor=${encodeURIComponent(first.next_cursor!)}`);
    expect(rest.next_cursor).toBeNull();
    expect([...first.items, ...rest.items].map((r) => r.id)).toEqual(walked.map((r) => r.id));
  });

  it('writes the same items whether Node or PostgreSQL builds them, whatever the kept JSON holds', async () => {
    const list = (f: Partial<DeviceFilter>, cache: DeviceJsonCache) =>
      readInTenant(ctx.pools.app, s.a.id, (db) =>
        devicesRepo.listJson(db, { offset: 0, limit: 1000, sort: 'name', ...f }, { policies: { x: true } }, cache),
      );
    for (const f of [
      { sort: 'name' },
      { sort: '-cpu_load', fields: ['name', 'cpu_load', 'tag_ids', 'last_seen_at'] },
      { search: 'big-', sort: '-uptime_seconds' },
    ]) {
      // Every row missing from a new cache: more than NODE_BUILDS_OVER, so Node stringifies them.
      const byNode = await list(f, createDeviceJsonCache());
      // PostgreSQL builds at most NODE_BUILDS_OVER at a time: a first page fills part of the cache.
      const kept = createDeviceJsonCache();
      await list({ ...f, limit: 400 }, kept);
      const byPg = await list(f, kept);
      const items = JSON.parse(byNode.items) as Row[];
      expect(items.length).toBeGreaterThan(500);
      expect(JSON.parse(byPg.items)).toEqual(items);
      expect(byPg.total).toBe(byNode.total);
      expect(items.every((r) => r.policies && (r.tag_ids === undefined || Array.isArray(r.tag_ids)))).toBe(true);
    }
  });
});

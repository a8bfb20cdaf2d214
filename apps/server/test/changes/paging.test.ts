import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { walkPages } from '../helpers/paging.js';
import { bareDevice, headersFor, type Seed, seed } from '../helpers/seed.js';

// Keyset pages of GET …/operations: walking `next_cursor` visits every operation once, newest first, ties on
// created_at (a rollout's wave makes its operations in one transaction) broken by id; filters hold across pages;
// `before` still works; a cursor of another list is refused.

let ctx: TestContext;
let s: Seed;
let deviceA: string;
let deviceB: string;
const N = 23;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  const device = (tenant: string, name: string) => bareDevice(ctx, tenant, name);
  deviceA = await device(s.a.id, 'ops-a1');
  deviceB = await device(s.a.id, 'ops-a2');
  const other = await device(s.b.id, 'ops-b');
  // Five operations share each created_at; the times have microseconds, which a millisecond cursor would lose.
  await ctx.pools.owner.query(
    `insert into change_operations (id, tenant_id, device_id, kind, mode, status, request, created_at)
     select gen_random_uuid(), $1, case when i % 3 = 0 then $2::uuid else $3::uuid end, 'edit', 'safe',
            case when i % 4 = 0 then 'failed' else 'confirmed' end, '{}',
            timestamptz '2026-03-01 10:00:00.123456+00' + make_interval(secs => i / 5)
       from generate_series(1, $4::int) i`,
    [s.a.id, deviceA, deviceB, N],
  );
  await ctx.pools.owner.query(
    `insert into change_operations (id, tenant_id, device_id, kind, mode, status, request)
     values (gen_random_uuid(), $1, $2, 'edit', 'safe', 'confirmed', '{}')`,
    [s.b.id, other],
  );
});
afterAll(() => ctx?.close());

type Op = { id: string; device_id: string; status: string; created_at: string };
type Page = { items: Op[]; next_cursor: string | null; next_before: string | null };
const get = async (q: string) => {
  const r = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/operations?${q}`, headers: headersFor(s, 'viewer') });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Page;
};
const walk = (q: string) => walkPages(get, q);
/** The order the list promises, asked of the database directly. */
const expected = async (where = 'true', args: unknown[] = []) =>
  (
    await ctx.pools.owner.query<{ id: string }>(
      `select id from change_operations where tenant_id = $1 and ${where} order by created_at desc, id desc`,
      [s.a.id, ...args],
    )
  ).rows.map((r) => r.id);

describe('operations pages', () => {
  it('walks every operation once by cursor, newest first, ties broken by id', async () => {
    const seen = await walk('limit=4');
    expect(seen).toHaveLength(N);
    expect(seen.map((o) => o.id)).toEqual(await expected());
  });

  it('keeps filters across pages', async () => {
    expect((await walk(`limit=3&device_id=${deviceA}`)).map((o) => o.id)).toEqual(
      await expected('device_id = $2', [deviceA]),
    );
    expect((await walk('limit=2&status=failed')).map((o) => o.id)).toEqual(await expected("status = 'failed'"));
  });

  it('still pages by time with before, and ends with null cursors', async () => {
    const first = await get('limit=5');
    expect(first.next_before).toBe(first.items[4]!.created_at);
    const older = await get(`limit=50&before=${first.next_before}`);
    expect(older.items.every((o) => o.created_at < first.next_before!)).toBe(true);
    const all = await get(`limit=${N}`);
    expect(all.items).toHaveLength(N);
    const past = await get(`limit=${N + 1}`);
    expect(past).toMatchObject({ next_cursor: null, next_before: null });
  });

  it('refuses a cursor of another list, and anything that is not a cursor', async () => {
    const devices = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/devices?limit=1`,
      headers: headersFor(s, 'viewer'),
    });
    const foreign = devices.json().next_cursor as string;
    for (const bad of [foreign, 'nonsense']) {
      const r = await ctx.app.inject({
        url: `/api/tenants/${s.a.id}/operations?cursor=${bad}`,
        headers: headersFor(s, 'viewer'),
      });
      expect(r.statusCode, bad).toBe(422);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { walkPages } from '../helpers/paging.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

// Keyset pages of the report list: walking `next_cursor` visits every report once, newest first, reports queued in
// one transaction (a schedule pass) broken by id, as offsets do; filters hold across pages; the total is counted
// apart from the page (no window over every report) and says whether it is exact.

let ctx: TestContext;
let s: Seed;
const N = 22;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  const params = '{"from": "2026-01-01T00:00:00Z", "to": "2026-01-08T00:00:00Z"}';
  await ctx.pools.owner.query(
    `insert into reports (id, tenant_id, kind, format, params, status, created_at)
     select gen_random_uuid(), $1, case when i % 3 = 0 then 'sla' else 'fleet' end, 'pdf', $2::jsonb, 'done',
            timestamptz '2026-01-09 00:00:00.222222+00' + make_interval(secs => i / 3)
       from generate_series(1, $3::int) i`,
    [s.a.id, params, N],
  );
  await ctx.pools.owner.query(
    `insert into reports (id, tenant_id, kind, format, params, status) values (gen_random_uuid(), $1, 'fleet', 'pdf', $2, 'done')`,
    [s.b.id, params],
  );
});
afterAll(() => ctx?.close());

type Page = {
  items: Array<{ id: string; kind: string }>;
  total: number;
  total_exact: boolean;
  next_cursor: string | null;
};
const get = async (q: string) => {
  const r = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/reports?${q}`, headers: headersFor(s, 'viewer') });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Page;
};
const walk = (q: string) => walkPages(get, q);
const expected = async (where = 'true') =>
  (
    await ctx.pools.owner.query<{ id: string }>(
      `select id from reports where tenant_id = $1 and ${where} order by created_at desc, id desc`,
      [s.a.id],
    )
  ).rows.map((r) => r.id);

describe('report list pages', () => {
  it('walks every report once by cursor, newest first, ties broken by id, as offsets do', async () => {
    const seen = await walk('limit=4');
    expect(seen.map((r) => r.id)).toEqual(await expected());
    const byOffset = [...(await get('limit=11')).items, ...(await get('limit=11&offset=11')).items];
    expect(byOffset.map((r) => r.id)).toEqual(await expected());
  });

  it('keeps a filter across pages, and counts it exactly', async () => {
    expect((await walk('limit=2&kind=sla')).map((r) => r.id)).toEqual(await expected("kind = 'sla'"));
    expect(await get('limit=1&kind=sla')).toMatchObject({ total: 7, total_exact: true });
    expect(await get('limit=1')).toMatchObject({ total: N, total_exact: true });
    expect((await get(`limit=${N}`)).next_cursor).not.toBeNull();
    expect((await get(`limit=${N + 1}`)).next_cursor).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bareDevice, headersFor, type Seed, seed } from '../helpers/seed.js';

// Keyset pages of a device's remote sessions: walking `next_cursor` visits every session once, newest first, ties
// broken by id, as offsets do; the total says whether it is exact.

let ctx: TestContext;
let s: Seed;
let device: string;
const N = 14;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  device = await bareDevice(ctx, s.a.id, 'rs');
  await ctx.pools.owner.query(
    `insert into remote_sessions (id, tenant_id, device_id, kind, actor_label, state, idle_timeout_seconds,
                                  max_lifetime_seconds, created_at, closed_at, close_reason)
     select gen_random_uuid(), $1, $2, 'ssh', 'admin', 'closed', 900, 3600,
            timestamptz '2026-05-01 00:00:00.333333+00' + make_interval(secs => i / 2), now(), 'ended'
       from generate_series(1, $3::int) i`,
    [s.a.id, device, N],
  );
});
afterAll(() => ctx?.close());

type Page = { items: Array<{ id: string }>; total: number; total_exact: boolean; next_cursor: string | null };
const get = async (q: string) => {
  const r = await ctx.app.inject({
    url: `/api/tenants/${s.a.id}/devices/${device}/sessions?${q}`,
    headers: headersFor(s, 'admin'),
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Page;
};

describe('remote session pages', () => {
  it('walks every session once by cursor, newest first, ties broken by id, as offsets do', async () => {
    const seen: Page['items'] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const p: Page = await get(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p).toMatchObject({ total: N, total_exact: true });
      seen.push(...p.items);
      cursor = p.next_cursor;
      if (!cursor) break;
    }
    const want = (
      await ctx.pools.owner.query<{ id: string }>(
        'select id from remote_sessions where device_id = $1 order by created_at desc, id desc',
        [device],
      )
    ).rows.map((r) => r.id);
    expect(seen.map((r) => r.id)).toEqual(want);
    const byOffset = [...(await get('limit=7')).items, ...(await get('limit=7&offset=7')).items];
    expect(byOffset.map((r) => r.id)).toEqual(want);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bareDevice, headersFor, type Seed, seed } from '../helpers/seed.js';

// The event log pages by id (newest first) with `before`: walking `next_before` visits every event once, in id
// order, with or without filters (each filter has its (…, id) index, migration 071), and never another tenant's.

let ctx: TestContext;
let s: Seed;
let device: string;
const N = 45;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  const add = (tenant: string, name: string) => bareDevice(ctx, tenant, name);
  device = await add(s.a.id, 'ev-1');
  const other = await add(s.a.id, 'ev-2');
  const elsewhere = await add(s.b.id, 'ev-b');
  // Interleaved with the other tenant's, so its rows sit between ours in the id order.
  await ctx.pools.owner.query(
    `insert into events (tenant_id, device_id, type, severity, message, created_at)
     select case when i % 4 = 3 then $4::uuid else $1::uuid end,
            case when i % 4 = 3 then $5::uuid when i % 2 = 0 then $2::uuid else $3::uuid end,
            (array['device.online','device.offline','device.rebooted'])[1 + i % 3],
            (array['info','warning','critical'])[1 + (i / 3) % 3], 'e' || i,
            timestamptz '2026-07-01' + make_interval(secs => i / 2)
       from generate_series(1, $6::int) i`,
    [s.a.id, device, other, s.b.id, elsewhere, N],
  );
});
afterAll(() => ctx?.close());

type Page = { items: Array<{ id: number }>; next_before: number | null };
const walk = async (q: string) => {
  const seen: Page['items'] = [];
  let before: number | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const r = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/events?${q}${before ? `&before=${before}` : ''}`,
      headers: headersFor(s, 'viewer'),
    });
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json() as Page;
    seen.push(...p.items);
    before = p.next_before;
    if (!before) break;
  }
  return seen.map((e) => e.id);
};
const expected = async (where: string, args: unknown[] = []) =>
  (
    await ctx.pools.owner.query<{ id: string }>(
      `select id from events where tenant_id = $1 and ${where} order by id desc`,
      [s.a.id, ...args],
    )
  ).rows.map((r) => Number(r.id));

describe('event pages', () => {
  it('walks every event once, newest first, with and without filters', async () => {
    expect(await walk('limit=4')).toEqual(await expected('true'));
    expect(await walk(`limit=3&device_id=${device}`)).toEqual(await expected('device_id = $2', [device]));
    expect(await walk('limit=2&type=device.rebooted')).toEqual(await expected("type = 'device.rebooted'"));
    expect(await walk('limit=5&severity=critical&type=device.online')).toEqual(
      await expected("severity = 'critical' and type = 'device.online'"),
    );
  });
});

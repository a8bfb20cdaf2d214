import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { walkPages } from '../helpers/paging.js';
import { bareDevice, headersFor, type Seed, seed } from '../helpers/seed.js';

// Keyset pages of alert events: walking `next_cursor` visits every alert once, newest first, alerts that started
// at the same instant (one poll fires several) broken by id, microseconds kept; filters hold across pages; a cursor
// of another list is refused.

let ctx: TestContext;
let s: Seed;
let device: string;
const N = 26;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  const add = (tenant: string, name: string) => bareDevice(ctx, tenant, name);
  device = await add(s.a.id, 'alerting');
  const other = await add(s.a.id, 'quiet');
  const elsewhere = await add(s.b.id, 'elsewhere');
  await ctx.pools.owner.query(
    `insert into alert_events (id, tenant_id, device_id, rule_name, metric, operator, threshold, severity, state, value,
                               started_at)
     select gen_random_uuid(), $1, case when i % 4 = 0 then $3::uuid else $2::uuid end, 'CPU', 'cpu_load', '>', 90,
            (array['info','warning','critical'])[1 + i % 3], case when i % 5 = 0 then 'firing' else 'resolved' end, 95,
            timestamptz '2026-06-01 12:00:00.444444+00' + make_interval(secs => i / 3)
       from generate_series(1, $4::int) i`,
    [s.a.id, device, other, N],
  );
  await ctx.pools.owner.query(
    `insert into alert_events (id, tenant_id, device_id, rule_name, metric, operator, threshold, severity, state,
                               started_at)
     values (gen_random_uuid(), $1, $2, 'CPU', 'cpu_load', '>', 90, 'info', 'firing', now())`,
    [s.b.id, elsewhere],
  );
});
afterAll(() => ctx?.close());

type Page = { items: Array<{ id: string }>; next_cursor: string | null };
const get = async (q: string) => {
  const r = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/alert-events?${q}`, headers: headersFor(s, 'viewer') });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Page;
};
const walk = (q: string) => walkPages(get, q);
const expected = async (where = 'true', args: unknown[] = []) =>
  (
    await ctx.pools.owner.query<{ id: string }>(
      `select id from alert_events where tenant_id = $1 and ${where} order by started_at desc, id desc`,
      [s.a.id, ...args],
    )
  ).rows.map((r) => r.id);

describe('alert event pages', () => {
  it('walks every alert once by cursor, newest first, ties broken by id', async () => {
    const seen = await walk('limit=4');
    expect(seen).toHaveLength(N);
    expect(seen.map((a) => a.id)).toEqual(await expected());
  });

  it('keeps filters across pages', async () => {
    expect((await walk(`limit=3&device_id=${device}`)).map((a) => a.id)).toEqual(
      await expected('device_id = $2', [device]),
    );
    expect((await walk('limit=2&state=active&severity=warning')).map((a) => a.id)).toEqual(
      await expected("state <> 'resolved' and severity = 'warning'"),
    );
  });

  it('refuses a cursor of another list, and anything that is not a cursor', async () => {
    const devices = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/devices?limit=1`,
      headers: headersFor(s, 'viewer'),
    });
    for (const bad of [devices.json().next_cursor as string, 'nonsense']) {
      const r = await ctx.app.inject({
        url: `/api/tenants/${s.a.id}/alert-events?cursor=${bad}`,
        headers: headersFor(s, 'viewer'),
      });
      expect(r.statusCode, bad).toBe(422);
    }
  });
});

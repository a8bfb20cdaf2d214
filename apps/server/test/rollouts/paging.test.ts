import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../src/features/rollouts/waves.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

// Keyset pages of the rollout list (newest first, rollouts made in one transaction broken by id) and of a rollout's
// devices (by position): every row once, in order; a paged detail counts its waves over every device, the same as
// the whole detail; offsets still page the list, and its total says whether it is exact.

let ctx: TestContext;
let s: Seed;
let big: string;
const ROLLOUTS = 19;
const DEVICES = 25;
const OPTIONS = JSON.stringify({ ...DEFAULT_OPTIONS, backup_after: false });

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  // Four rollouts share each created_at, with microseconds.
  await ctx.pools.owner.query(
    `insert into rollouts (id, tenant_id, kind, name, status, options, wave_count, device_count, created_at)
     select gen_random_uuid(), $1, case when i % 2 = 0 then 'template' else 'firmware' end, 'r' || i, 'completed',
            $3::jsonb, 1, 1, timestamptz '2026-04-01 00:00:00.111111+00' + make_interval(secs => i / 4)
       from generate_series(1, $2::int) i`,
    [s.a.id, ROLLOUTS, OPTIONS],
  );
  big = (
    await ctx.pools.owner.query<{ id: string }>(
      `insert into rollouts (id, tenant_id, kind, name, status, options, wave_count, device_count, created_at)
       values (gen_random_uuid(), $1, 'template', 'big', 'running', $3::jsonb, 4, $2,
               '2020-01-01') returning id`,
      [s.a.id, DEVICES, OPTIONS],
    )
  ).rows[0]!.id;
  await ctx.pools.owner.query(
    `insert into rollout_devices (rollout_id, tenant_id, device_id, device_name, position, wave, status, output)
     select $1, $2, gen_random_uuid(), 'dev-' || p, p, case when p = 0 then 0 else 1 + (p - 1) / 10 end,
            case when p < 8 then 'done' when p < 11 then 'running' when p = 11 then 'failed' else 'pending' end, 'out'
       from generate_series(0, $3::int - 1) p`,
    [big, s.a.id, DEVICES],
  );
  await ctx.pools.owner.query(
    `insert into rollouts (id, tenant_id, kind, name, status, options, wave_count, device_count)
     values (gen_random_uuid(), $1, 'template', 'elsewhere', 'completed', $2::jsonb, 1, 1)`,
    [s.b.id, OPTIONS],
  );
});
afterAll(() => ctx?.close());

const get = async (path: string) => {
  const r = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/rollouts${path}`, headers: headersFor(s, 'viewer') });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

describe('rollout list pages', () => {
  it('walks every rollout once by cursor, newest first, ties broken by id, as offsets do', async () => {
    const seen: Array<{ id: string }> = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 30; pages++) {
      const p = await get(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p).toMatchObject({ total: ROLLOUTS + 1, total_exact: true });
      seen.push(...p.items);
      cursor = p.next_cursor;
      if (!cursor) break;
    }
    const want = (
      await ctx.pools.owner.query<{ id: string }>(
        'select id from rollouts where tenant_id = $1 order by created_at desc, id desc',
        [s.a.id],
      )
    ).rows.map((r) => r.id);
    expect(seen.map((r) => r.id)).toEqual(want);
    const byOffset = [...(await get('?limit=10')).items, ...(await get('?limit=10&offset=10')).items];
    expect(byOffset.map((r: { id: string }) => r.id)).toEqual(want);
  });

  it('keeps a filter across pages and counts it', async () => {
    const first = await get('?limit=4&kind=firmware');
    const rest = await get(`?limit=50&kind=firmware&cursor=${first.next_cursor}`);
    const all = [...first.items, ...rest.items];
    expect(all.every((r: { kind: string }) => r.kind === 'firmware')).toBe(true);
    expect(all).toHaveLength(first.total);
    expect(rest.next_cursor).toBeNull();
  });
});

describe("a rollout's devices", () => {
  it('pages by position; every page counts the whole rollout', async () => {
    const whole = await get(`/${big}`);
    expect(whole.devices).toHaveLength(DEVICES);
    expect(whole.devices_next_cursor).toBeNull();
    expect(whole.counts).toMatchObject({ done: 8, running: 3, failed: 1, pending: 13 });
    expect(whole.waves.map((w: { size: number; status: string }) => [w.size, w.status])).toEqual([
      [1, 'finished'],
      [10, 'running'],
      [10, 'running'],
      [4, 'pending'],
    ]);
    const seen: Array<{ position: number }> = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const p = await get(`/${big}?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.counts).toEqual(whole.counts);
      expect(p.waves).toEqual(whole.waves);
      seen.push(...p.devices);
      cursor = p.devices_next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(whole.devices);
  });

  it('pages a status filter', async () => {
    const first = await get(`/${big}?status=pending&limit=10`);
    const rest = await get(`/${big}?status=pending&limit=10&cursor=${first.devices_next_cursor}`);
    const positions = [...first.devices, ...rest.devices].map((d: { position: number }) => d.position);
    expect(positions).toEqual(Array.from({ length: 13 }, (_, i) => 12 + i));
    expect(rest.devices_next_cursor).toBeNull();
  });

  it('refuses a cursor of the rollout list for its devices', async () => {
    const list = await get('?limit=1');
    const r = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/rollouts/${big}?limit=5&cursor=${list.next_cursor}`,
      headers: headersFor(s, 'viewer'),
    });
    expect(r.statusCode).toBe(422);
  });
});

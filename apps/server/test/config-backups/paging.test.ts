import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { walkPages } from '../helpers/paging.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

// Keyset pages of a device's config versions and of the fleet view: walking `next_cursor` visits every row once in
// the list's order (versions sharing a created_at broken by id; the fleet view failures first, then the longest
// without a success, then by name), the same order as offsets; `before` and `offset` still work.

let ctx: TestContext;
let s: Seed;
let device: string;
const VERSIONS = 17;
const DEVICES = 29;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  const ids = (
    await ctx.pools.owner.query<{ id: string }>(
      `insert into devices (tenant_id, name, host, username, password_enc)
       select $1, 'cfg-' || (i % 7), '10.9.0.' || i, 'admin', '\\x00' from generate_series(1, $2::int) i returning id`,
      [s.a.id, DEVICES],
    )
  ).rows.map((r) => r.id);
  device = ids[0]!;
  await ctx.pools.owner.query(
    `insert into config_contents (tenant_id, device_id, sha256, normalized, size, stored_size)
     select $1, $2, encode(sha256(i::text::bytea), 'hex'), '\\x00', 1, 1 from generate_series(1, $3::int) i`,
    [s.a.id, device, VERSIONS],
  );
  // Three versions share each created_at (one capture's transaction), with microseconds.
  await ctx.pools.owner.query(
    `insert into config_versions (id, tenant_id, device_id, sha256, created_at, trigger, size, raw_export, raw_size,
                                  method, secrets_included)
     select gen_random_uuid(), $1, $2, encode(sha256(i::text::bytea), 'hex'),
            timestamptz '2026-02-01 08:00:00.654321+00' + make_interval(mins => i / 3), 'schedule', 1, '\\x00', 1,
            'ssh', false
       from generate_series(1, $3::int) i`,
    [s.a.id, device, VERSIONS],
  );
  // Backup states: some failing (some of them never succeeded), some with equal last successes, some none at all.
  await ctx.pools.owner.query(
    `insert into config_device_state (device_id, tenant_id, last_success_at, last_failure_at, last_error_code)
     select id, $1,
            case when n % 5 = 0 then null else timestamptz '2026-02-02 00:00:00+00' + make_interval(hours => (n % 4)::int) end,
            case when n % 3 = 0 then timestamptz '2026-02-03 00:00:00+00' end,
            case when n % 3 = 0 then 'unreachable' end
       from (select id, row_number() over (order by id) as n from devices where tenant_id = $1) d
      where n % 6 <> 1`,
    [s.a.id],
  );
});
afterAll(() => ctx?.close());

type Page<T> = { items: T[]; next_cursor: string | null; next_before?: string | null; total?: number };
const get = async <T>(path: string) => {
  const r = await ctx.app.inject({ url: `/api/tenants/${s.a.id}${path}`, headers: headersFor(s, 'viewer') });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Page<T>;
};
const walk = <T>(path: string) => walkPages((q) => get<T>(q), path);

describe('config versions pages', () => {
  it('walks every version once by cursor, newest first, ties broken by id', async () => {
    const seen = await walk<{ version_id: string }>(`/devices/${device}/config/backups?limit=4`);
    const want = (
      await ctx.pools.owner.query<{ id: string }>(
        'select id from config_versions where device_id = $1 order by created_at desc, id desc',
        [device],
      )
    ).rows.map((r) => r.id);
    expect(seen.map((v) => v.version_id)).toEqual(want);
  });

  it('still pages by time with before', async () => {
    const first = await get<{ created_at: string }>(`/devices/${device}/config/backups?limit=3`);
    expect(first.next_before).toBe(first.items[2]!.created_at);
    const older = await get<{ created_at: string }>(
      `/devices/${device}/config/backups?limit=100&before=${first.next_before}`,
    );
    expect(older.items.length).toBeGreaterThan(0);
    expect(older.items.every((v) => v.created_at < first.next_before!)).toBe(true);
  });
});

describe('fleet view pages', () => {
  type Row = { device_id: string; name: string; failing: boolean; last_success_at: string | null };
  for (const filter of ['', '&failing=true', '&failing=false'])
    it(`walks every device once by cursor in the offset order${filter}`, async () => {
      const seen = await walk<Row>(`/config/backups?limit=4${filter}`);
      const byOffset = await get<Row>(`/config/backups?limit=500${filter}`);
      expect(seen.map((r) => r.device_id)).toEqual(byOffset.items.map((r) => r.device_id));
      expect(byOffset.total).toBe(seen.length);
      if (!filter) expect(seen).toHaveLength(DEVICES);
      // The order, checked independently: failing first, never succeeded first, oldest success, name, id.
      const key = (r: Row) => `${r.name}|${r.device_id}`;
      const sorted = [...seen].sort((x, y) => {
        if (x.failing !== y.failing) return x.failing ? -1 : 1;
        const [a, b] = [x.last_success_at ?? '', y.last_success_at ?? ''];
        if (a !== b) return a < b ? -1 : 1;
        return key(x) < key(y) ? -1 : 1;
      });
      expect(seen.map((r) => r.device_id)).toEqual(sorted.map((r) => r.device_id));
    });

  it('answers the total and that it is exact, and offsets still page', async () => {
    const p = (await get<Row>('/config/backups?limit=5&offset=5')) as Page<Row> & { total_exact: boolean };
    expect(p).toMatchObject({ total: DEVICES, total_exact: true });
    const all = await get<Row>('/config/backups?limit=500');
    expect(p.items.map((r) => r.device_id)).toEqual(all.items.slice(5, 10).map((r) => r.device_id));
  });
});

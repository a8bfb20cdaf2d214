import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactTallies } from '../../src/features/devices/devices.tallies.repo.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

// The maintained device tallies (migration 070) against the truth: after inserts, status flaps, disabling, edits
// and deletes in several transactions at once, and after compaction, they equal a count of the devices table.

let ctx: TestContext;
let s: Seed;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
});
afterAll(() => ctx?.close());

const truth = async (tenant: string) =>
  (
    await ctx.pools.owner.query<{ dim: string; val: string; n: number }>(
      `select k.dim, k.val, count(*)::int as n from devices d
         cross join lateral device_tally_keys(d.status, d.disabled, d.version, d.model, d.latest_version) k
        where d.tenant_id = $1 group by 1, 2 order by 1, 2`,
      [tenant],
    )
  ).rows;
const tallied = async (tenant: string) =>
  (
    await ctx.pools.owner.query<{ dim: string; val: string; n: number }>(
      `select dim, val, sum(n)::int as n from device_tallies where tenant_id = $1
        group by 1, 2 having sum(n) <> 0 order by 1, 2`,
      [tenant],
    )
  ).rows;

describe('device tallies', () => {
  it('follow every kind of change, from concurrent transactions, and survive compaction', async () => {
    await ctx.pools.owner.query(
      `insert into devices (tenant_id, name, host, username, password_enc, status, version, model, latest_version)
       select $1, 'tally-' || i, '10.9.' || (i / 250) || '.' || (i % 250), 'admin', '\\x00',
              (array['online','offline','degraded','unknown'])[1 + i % 4], (array['7.16','7.18',null])[1 + i % 3],
              (array['RB5009','hAP ax3'])[1 + i % 2], '7.18'
         from generate_series(1, 400) i`,
      [s.a.id],
    );
    await ctx.pools.owner.query(
      `insert into devices (tenant_id, name, host, username, password_enc, status) values ($1, 'b-1', 'b1', 'admin', '\\x00', 'online')`,
      [s.b.id],
    );
    // Status flaps from several transactions at once (as concurrent ingest batches do), plus edits and deletes.
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        withSystem(ctx.pools.system, async (db) => {
          for (let round = 0; round < 5; round++)
            await db.query(
              `update devices set status = (array['online','offline','degraded'])[1 + (abs(hashtext(id::text)) + $2) % 3]
                where tenant_id = $1 and name like 'tally-%' and abs(hashtext(id::text)) % 8 = $3`,
              [s.a.id, round, w],
            );
        }),
      ),
    );
    await ctx.pools.owner.query(
      "update devices set disabled = true where tenant_id = $1 and name in ('tally-1', 'tally-2', 'tally-3')",
      [s.a.id],
    );
    await ctx.pools.owner.query(
      "update devices set version = '7.18', model = null where tenant_id = $1 and name like 'tally-1%'",
      [s.a.id],
    );
    // A poll that changes nothing counted writes no delta.
    const before = (await ctx.pools.owner.query('select count(*)::int as n from device_tallies')).rows[0].n;
    await ctx.pools.owner.query('update devices set cpu_load = 5, uptime_seconds = 10 where tenant_id = $1', [s.a.id]);
    expect((await ctx.pools.owner.query('select count(*)::int as n from device_tallies')).rows[0].n).toBe(before);
    await ctx.pools.owner.query("delete from devices where tenant_id = $1 and name like 'tally-2%'", [s.a.id]);

    expect(await tallied(s.a.id)).toEqual(await truth(s.a.id));
    expect(await tallied(s.b.id)).toEqual(await truth(s.b.id));
    await withSystem(ctx.pools.system, (db) => compactTallies(db));
    expect(await tallied(s.a.id)).toEqual(await truth(s.a.id));
    // One row per (dim, val) once compacted.
    const rows = await ctx.pools.owner.query<{ n: number }>(
      'select count(*)::int as n from device_tallies where tenant_id = $1 group by dim, val having count(*) > 1',
      [s.a.id],
    );
    expect(rows.rows).toEqual([]);
  });

  it('the dashboard counts and the list totals come out right, and the app role sees only its organisation', async () => {
    const h = headersFor(s, 'viewer');
    const sum = (await ctx.app.inject({ url: `/api/tenants/${s.a.id}/fleet/summary`, headers: h })).json();
    const counts = (
      await ctx.pools.owner.query<{ online: number; disabled: number; total: number }>(
        `select count(*) filter (where status = 'online' and not disabled)::int as online,
                count(*) filter (where disabled)::int as disabled, count(*)::int as total
           from devices where tenant_id = $1`,
        [s.a.id],
      )
    ).rows[0]!;
    expect(sum.counts).toMatchObject(counts);
    const list = (
      await ctx.app.inject({ url: `/api/tenants/${s.a.id}/devices?status=online,degraded&limit=1`, headers: h })
    ).json();
    const want = (
      await ctx.pools.owner.query<{ n: number }>(
        "select count(*)::int as n from devices where tenant_id = $1 and status in ('online', 'degraded')",
        [s.a.id],
      )
    ).rows[0]!.n;
    expect(list).toMatchObject({ total: want, total_exact: true });
    const other = (
      await ctx.app.inject({ url: `/api/tenants/${s.b.id}/fleet/summary`, headers: headersFor(s, 'viewer', s.b) })
    ).json();
    expect(other.counts.total).toBe(1);
  });

  it('an organisation with devices can be deleted, and takes its tallies with it', async () => {
    const t = (
      await ctx.pools.owner.query<{ id: string }>("insert into tenants (name) values ('Short-lived') returning id")
    ).rows[0]!.id;
    await ctx.pools.owner.query(
      `insert into devices (tenant_id, name, host, username, password_enc) values ($1, 'x', 'x', 'admin', '\\x00')`,
      [t],
    );
    expect((await tallied(t)).length).toBeGreaterThan(0);
    await ctx.pools.owner.query('delete from tenants where id = $1', [t]);
    const left = await ctx.pools.owner.query('select count(*)::int as n from device_tallies where tenant_id = $1', [t]);
    expect(left.rows[0].n).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleUrl } from '../../src/platform/db/pools.js';
import { withTenant } from '../../src/platform/db/tx.js';
import { TEST_DB_PASSWORDS, TEST_PASSWORD } from '../helpers/constants.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, login, type Seed, seed } from '../helpers/seed.js';
import { openAuditRows } from './open.js';

// Issue 16: audit details sealed with the organisation's key (migration 065). The chain still verifies without the
// key, and still notices any change: to the sealed bytes, a box moved between entries, the digests, the commitment to
// who acted. Erasing a deleted person's columns keeps it verifiable, old (version 1) rows included.

let ctx: TestContext;
let s: Seed;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
});
afterAll(() => ctx?.close());

const owner = (sql: string, args: unknown[] = []) => ctx.pools.owner.query(sql, args);
const adminA = () => headersFor(s, 'admin');
const verify = async (tenantId = s.a.id) =>
  (await ctx.app.inject({ url: `/api/tenants/${tenantId}/audit-logs/verify`, headers: adminA() })).json();
const list = async (query = '') =>
  (await ctx.app.inject({ url: `/api/tenants/${s.a.id}/audit-logs?limit=1000${query}`, headers: adminA() })).json()
    .items as Array<Record<string, unknown>>;
const describeTenant = (description: string) =>
  ctx.app.inject({ method: 'PATCH', url: `/api/tenants/${s.a.id}`, headers: adminA(), payload: { description } });

type Stored = { id: number; seq: number; details: unknown; details_sealed: Buffer | null; hash_version: number };
async function stored(action: string, tenantId = s.a.id): Promise<Stored[]> {
  const r = await owner(
    `select id, seq::int, details, details_sealed, hash_version from audit_logs
      where tenant_id = $1 and action = $2 order by seq`,
    [tenantId, action],
  );
  return r.rows;
}

describe('sealed audit details', () => {
  it('stores a tenant entry as ciphertext, not its JSON; the list and the CSV open it', async () => {
    expect((await describeTenant('a sealed secret phrase')).statusCode).toBe(200);
    const [row] = await stored('tenant.update');
    expect(row!.hash_version).toBe(2);
    expect(row!.details).toBeNull();
    expect(row!.details_sealed!.subarray(0, 2).toString()).toBe('T1');
    expect(row!.details_sealed!.toString('latin1')).not.toContain('sealed secret');
    // With the tenant's key (what tests reading audit_logs directly use: ./open.ts).
    const sql = await owner(
      `select tenant_id, entry_id, details, details_sealed, action from audit_logs where id = $1`,
      [row!.id],
    );
    expect(await openAuditRows(ctx, sql.rows)).toEqual([
      { tenant_id: s.a.id, action: 'tenant.update', details: { description: 'a sealed secret phrase' } },
    ]);

    const [item] = await list('&action=tenant.update');
    expect(item).toMatchObject({ details: { description: 'a sealed secret phrase' }, details_unreadable: false });
    const csv = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/audit-logs?format=csv`, headers: adminA() });
    expect(csv.body).toContain('a sealed secret phrase');
    expect(await verify()).toMatchObject({ valid: true, first_broken_seq: null, anonymised: 0, link_only: 0 });
  });

  it("leaves the platform's own trail (no tenant, no tenant key) unsealed, and it verifies", async () => {
    const r = await owner(
      `select count(*)::int as n, count(details_sealed)::int as sealed, min(hash_version)::int as v
         from audit_logs where tenant_id is null`,
    );
    expect(r.rows[0]).toMatchObject({ sealed: 0, v: 2 });
    expect(r.rows[0].n).toBeGreaterThan(0);
    const v = await ctx.app.inject({ url: '/api/audit-logs/verify', headers: headersFor(s, 'super_admin') });
    expect(v.json()).toMatchObject({ valid: true });
  });

  it('notices a flipped byte of sealed details, and the list marks them unreadable', async () => {
    const [row] = await stored('tenant.update');
    const altered = Buffer.from(row!.details_sealed!);
    altered[altered.length - 1]! ^= 1;
    await owner('update audit_logs set details_sealed = $2 where id = $1', [row!.id, altered]);
    expect(await verify()).toMatchObject({ valid: false, first_broken_seq: row!.seq });
    const item = (await list()).find((i) => i.seq === row!.seq);
    expect(item).toMatchObject({ details: {}, details_unreadable: true });
    await owner('update audit_logs set details_sealed = $2 where id = $1', [row!.id, row!.details_sealed]);
    expect((await verify()).valid).toBe(true);
  });

  it("refuses a sealed box moved to another entry: it opens, but as the other entry's", async () => {
    await describeTenant('second');
    const [first, second] = await stored('tenant.update');
    await owner('update audit_logs set details_sealed = $2 where id = $1', [second!.id, first!.details_sealed]);
    expect(await verify()).toMatchObject({ valid: false, first_broken_seq: second!.seq });
    expect((await list()).find((i) => i.seq === second!.seq)).toMatchObject({ details_unreadable: true });
    await owner('update audit_logs set details_sealed = $2 where id = $1', [second!.id, second!.details_sealed]);
    expect((await verify()).valid).toBe(true);
  });

  it('notices plaintext slipped in beside the sealed details, a changed digest, and a changed actor', async () => {
    const [row] = await stored('tenant.update');
    const attacks: [string, string][] = [
      ['details', `details = '{"description": "innocent"}'`],
      ['details_digest', `details_digest = sha256('x'::bytea)`],
      ['actor_label', `actor_label = 'someone-else@a.test'`],
      ['ip', `ip = '203.0.113.9'`],
    ];
    for (const [column, set] of attacks) {
      const before = (await owner(`select ${column} from audit_logs where id = $1`, [row!.id])).rows[0][column];
      await owner(`update audit_logs set ${set} where id = $1`, [row!.id]);
      expect(await verify(), column).toMatchObject({ valid: false, first_broken_seq: row!.seq });
      await owner(`update audit_logs set ${column} = $2 where id = $1`, [row!.id, before]);
      expect((await verify()).valid, column).toBe(true);
    }
  });
});

describe('erasing a deleted person from the trail', () => {
  const asApp = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const c = new pg.Client({ connectionString: roleUrl(ctx.ownerUrl, 'app', TEST_DB_PASSWORDS.app) });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };

  it('is not an UPDATE the app may run, and the function refuses while the account exists', async () => {
    await asApp(async (c) => {
      await expect(c.query(`update audit_logs set actor_label = null`)).rejects.toThrow(/permission denied/);
      await expect(
        c.query('select * from audit_anonymise_user($1, $2)', [s.a.users.viewer.id, s.a.users.viewer.email]),
      ).rejects.toThrow(/still exists/);
    });
  });

  it('erases who acted and what was said about them; both chains still verify', async () => {
    const email = `leaver-${randomUUID()}@a.test`;
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/users`,
      headers: adminA(),
      payload: { email, name: 'Leaver', role: 'operator', password: TEST_PASSWORD },
    });
    const id = created.json().id as string;
    const token = await login(ctx, email);
    await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/sites`,
      headers: { authorization: `Bearer ${token}` },
      payload: { name: `site ${id}` },
    });
    await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'wrong password!!' } });
    await ctx.app.inject({ method: 'DELETE', url: `/api/tenants/${s.a.id}/users/${id}`, headers: adminA() });

    const n = await withTenant(ctx.pools.app, s.a.id, (db) =>
      db.query('select by_user::int, about_user::int from audit_anonymise_user($1, $2)', [id, email]),
    );
    expect(n.rows[0].by_user).toBeGreaterThanOrEqual(3); // two sign-ins (one failed) and the site
    expect(n.rows[0].about_user).toBe(2); // user.create and user.delete, by the admin

    const rows = await owner(
      `select actor_id, actor_label, ip, personal_nonce, details, details_sealed, action
         from audit_logs where tenant_id = $1 and anonymised_at is not null`,
      [s.a.id],
    );
    expect(JSON.stringify(rows.rows)).not.toContain(email);
    const about = rows.rows.filter((r) => r.action === 'user.create' || r.action === 'user.delete');
    const by = rows.rows.filter((r) => !about.includes(r));
    expect(by).toHaveLength(n.rows[0].by_user);
    for (const r of by) expect(r).toMatchObject({ actor_id: null, actor_label: null, ip: null, personal_nonce: null });
    // The admin who created and deleted the account stays; what those entries said about the person goes.
    expect(about).toHaveLength(2);
    for (const r of about)
      expect(r).toMatchObject({ actor_label: s.a.users.admin.email, details: null, details_sealed: null });
    // The site entry keeps its (opened) details: the organisation's record of what was done, by nobody now.
    const site = (await list('&action=sites.create')).find((i) => i.actor_id === null);
    expect(site).toMatchObject({ actor_label: null, ip: null, details_unreadable: false });
    expect(site!.details).toMatchObject({ name: `site ${id}` });
    expect(site!.anonymised_at).toEqual(expect.any(String));

    const v = await verify();
    expect(v).toMatchObject({ valid: true, first_broken_seq: null, link_only: 0 });
    expect(v.anonymised).toBe(rows.rowCount);
    const g = await ctx.app.inject({ url: '/api/audit-logs/verify', headers: headersFor(s, 'super_admin') });
    expect(g.json()).toMatchObject({ valid: true });
  });

  it('a version 1 entry (written before sealing) still verifies, and once erased is checked by its link only', async () => {
    const t = await ctx.app.inject({
      method: 'POST',
      url: '/api/tenants',
      headers: headersFor(s, 'super_admin'),
      payload: { name: `legacy ${randomUUID()}` },
    });
    const tenantId = t.json().id as string;
    const ghost = randomUUID(); // an account that no longer exists
    // Written as migration 002's trigger would have: hash over the values themselves.
    await owner('alter table audit_logs disable trigger audit_logs_chain');
    try {
      await owner(
        `with last as (select coalesce(max(seq), 0) as seq,
                              coalesce((select hash from audit_logs where tenant_id = $1 order by seq desc limit 1),
                                       '\\x${'00'.repeat(32)}'::bytea) as hash
                         from audit_logs where tenant_id = $1),
              v as (select $1::uuid as tenant, last.seq + 1 as seq, last.hash as prev, clock_timestamp() as at from last)
         insert into audit_logs (tenant_id, seq, hash_version, actor_type, actor_id, actor_label, action, details, ip,
                                 created_at, prev_hash, hash)
         select tenant, seq, 1, 'user', $2, 'ghost@legacy.test', 'device.update', '{"name": "r1"}', '192.0.2.1', at,
                prev, audit_row_hash(prev, tenant, seq, 'user', $2, 'ghost@legacy.test', 'device.update', null, null,
                                     '{"name": "r1"}', '192.0.2.1', null, at)
           from v`,
        [tenantId, ghost],
      );
    } finally {
      await owner('alter table audit_logs enable trigger audit_logs_chain');
    }
    const superH = headersFor(s, 'super_admin');
    const verifyT = async () =>
      (await ctx.app.inject({ url: `/api/tenants/${tenantId}/audit-logs/verify`, headers: superH })).json();
    // A new (version 2) entry chains after it.
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/tenants/${tenantId}`,
      headers: superH,
      payload: { description: 'x' },
    });
    expect(await verifyT()).toMatchObject({ valid: true, link_only: 0 });

    await owner(`update audit_logs set details = '{"name": "r2"}' where tenant_id = $1 and hash_version = 1`, [
      tenantId,
    ]);
    expect((await verifyT()).valid).toBe(false);
    await owner(`update audit_logs set details = '{"name": "r1"}' where tenant_id = $1 and hash_version = 1`, [
      tenantId,
    ]);

    await withTenant(ctx.pools.app, tenantId, (db) =>
      db.query('select * from audit_anonymise_user($1, $2)', [ghost, 'ghost@legacy.test']),
    );
    const row = (
      await owner('select actor_label, ip, details from audit_logs where tenant_id = $1 and hash_version = 1', [
        tenantId,
      ])
    ).rows[0];
    expect(row).toEqual({ actor_label: null, ip: null, details: { name: 'r1' } });
    expect(await verifyT()).toMatchObject({ valid: true, anonymised: 1, link_only: 1 });
    // Its place in the chain is still checked: removing it breaks the link of the entry after it.
    await owner('delete from audit_logs where tenant_id = $1 and hash_version = 1', [tenantId]);
    expect((await verifyT()).valid).toBe(false);
  });
});

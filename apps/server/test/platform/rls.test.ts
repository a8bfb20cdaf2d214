import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleUrl } from '../../src/platform/db/pools.js';
import { TEST_DB_PASSWORDS } from '../helpers/constants.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { type Seed, seed } from '../helpers/seed.js';

// Row-level security proven in SQL, connected as the real `app` role (never a superuser, which bypasses RLS).
let ctx: TestContext;
let s: Seed;
let app: pg.Client;

async function asTenant<T>(tenant: string | null, fn: () => Promise<T>): Promise<T> {
  await app.query('begin');
  try {
    await app.query("select set_config('app.tenant_id', $1, true)", [tenant ?? '']);
    return await fn();
  } finally {
    await app.query('rollback');
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  app = new pg.Client({ connectionString: roleUrl(ctx.ownerUrl, 'app', TEST_DB_PASSWORDS.app) });
  await app.connect();
});
afterAll(async () => {
  await app?.end();
  await ctx?.close();
});

describe('row-level security as the app role', () => {
  it('the app role is neither superuser nor BYPASSRLS; system bypasses', async () => {
    const r = await app.query(
      "select rolname, rolsuper, rolbypassrls from pg_roles where rolname in ('app','system') order by 1",
    );
    expect(r.rows).toEqual([
      { rolname: 'app', rolsuper: false, rolbypassrls: false },
      { rolname: 'system', rolsuper: false, rolbypassrls: true },
    ]);
  });

  it('every table with a tenant_id has ENABLE and FORCE row level security and a policy', async () => {
    const r = await app.query(`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity,
             (select count(*) from pg_policies p where p.tablename = c.relname)::int as policies
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p')
         and (exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
              or c.relname = 'tenants')`);
    expect(r.rows.length).toBeGreaterThanOrEqual(6);
    for (const t of r.rows)
      expect(t, t.relname).toMatchObject({
        relrowsecurity: true,
        relforcerowsecurity: true,
        policies: expect.any(Number),
      });
    for (const t of r.rows) expect(t.policies, t.relname).toBeGreaterThan(0);
  });

  it('without a tenant, tenant-owned tables are empty', async () => {
    await asTenant(null, async () => {
      for (const table of ['tenants', 'users', 'api_keys', 'audit_logs']) {
        const r = await app.query(`select count(*)::int as n from ${table}`);
        expect(r.rows[0].n, table).toBe(0);
      }
    });
  });

  it("with tenant A set, only tenant A's rows exist", async () => {
    await asTenant(s.a.id, async () => {
      const users = await app.query('select distinct tenant_id from users');
      expect(users.rows).toEqual([{ tenant_id: s.a.id }]);
      const tenants = await app.query('select id from tenants');
      expect(tenants.rows).toEqual([{ id: s.a.id }]);
      const b = await app.query('select * from users where id = $1', [s.b.users.admin.id]);
      expect(b.rowCount).toBe(0);
      const keys = await app.query('select tenant_id from api_keys');
      expect(keys.rows.every((k) => k.tenant_id === s.a.id)).toBe(true);
    });
  });

  it("cannot write into another tenant, or change another tenant's rows", async () => {
    await asTenant(s.a.id, async () => {
      await expect(
        app.query(`insert into users (tenant_id, email, name, role) values ($1, 'x@evil.test', 'x', 'admin')`, [
          s.b.id,
        ]),
      ).rejects.toThrow(/row-level security/);
    });
    await asTenant(s.a.id, async () => {
      const r = await app.query("update users set name = 'pwned' where tenant_id = $1", [s.b.id]);
      expect(r.rowCount).toBe(0);
      const d = await app.query('delete from api_keys where tenant_id = $1', [s.b.id]);
      expect(d.rowCount).toBe(0);
    });
  });

  it('cannot read sessions or refresh tokens at all', async () => {
    await asTenant(s.a.id, async () => {
      await expect(app.query('select * from auth_sessions')).rejects.toThrow(/permission denied/);
    });
  });

  it('the audit trail is append-only for app and system', async () => {
    await asTenant(s.a.id, async () => {
      await expect(app.query("update audit_logs set action = 'x.y'")).rejects.toThrow(/permission denied/);
    });
    await asTenant(s.a.id, async () => {
      await expect(app.query('delete from audit_logs')).rejects.toThrow(/permission denied/);
    });
    const sys = new pg.Client({ connectionString: roleUrl(ctx.ownerUrl, 'system', TEST_DB_PASSWORDS.system) });
    await sys.connect();
    await expect(sys.query('delete from audit_logs')).rejects.toThrow(/permission denied/);
    await expect(sys.query('truncate audit_logs')).rejects.toThrow(/permission denied/);
    await sys.end();
  });
});

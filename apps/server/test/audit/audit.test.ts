import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

let ctx: TestContext;
let s: Seed;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
});
afterAll(() => ctx?.close());

const verify = async (tenant = s.a) =>
  (
    await ctx.app.inject({
      url: `/api/tenants/${tenant.id}/audit-logs/verify`,
      headers: headersFor(s, 'admin', tenant),
    })
  ).json();

describe('audit trail', () => {
  it('records logins and changes with actor, target, IP and request id', async () => {
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/tenants/${s.a.id}`,
      headers: { ...headersFor(s, 'admin'), 'x-request-id': 'req-audit-1' },
      payload: { description: 'audited' },
      remoteAddress: '192.0.2.7',
    });
    const r = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/audit-logs?action=tenant.update`,
      headers: headersFor(s, 'admin'),
    });
    expect(r.statusCode).toBe(200);
    const [row] = r.json().items;
    expect(row).toMatchObject({
      action: 'tenant.update',
      actor_type: 'user',
      actor_id: s.a.users.admin.id,
      actor_label: s.a.users.admin.email,
      target_type: 'tenant',
      target_id: s.a.id,
      ip: '192.0.2.7',
      request_id: 'req-audit-1',
      details: { description: 'audited' },
    });
    const logins = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/audit-logs?action=auth.login`,
      headers: headersFor(s, 'admin'),
    });
    expect(logins.json().items.length).toBeGreaterThanOrEqual(3);
  });

  it('API key actions are attributed to the key', async () => {
    await ctx.app.inject({ url: '/api/auth/me', headers: headersFor(s, 'api_key') });
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/api-keys`,
      headers: headersFor(s, 'admin'),
      payload: { name: 'ci' },
    });
    const r = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/audit-logs?action=api_key.create`,
      headers: headersFor(s, 'admin'),
    });
    expect(r.json().items[0]).toMatchObject({ target_id: created.json().id, details: { name: 'ci' } });
    expect(JSON.stringify(r.json())).not.toContain(created.json().key);
  });

  it('filters by user and date range, and pages with next_before', async () => {
    const all = (
      await ctx.app.inject({ url: `/api/tenants/${s.a.id}/audit-logs?limit=2`, headers: headersFor(s, 'admin') })
    ).json();
    expect(all.items).toHaveLength(2);
    expect(all.next_before).toBe(all.items[1].seq);
    const next = (
      await ctx.app.inject({
        url: `/api/tenants/${s.a.id}/audit-logs?limit=2&before=${all.next_before}`,
        headers: headersFor(s, 'admin'),
      })
    ).json();
    expect(next.items[0].seq).toBeLessThan(all.next_before);
    const byUser = (
      await ctx.app.inject({
        url: `/api/tenants/${s.a.id}/audit-logs?user_id=${s.a.users.viewer.id}`,
        headers: headersFor(s, 'admin'),
      })
    ).json();
    expect(byUser.items.length).toBeGreaterThan(0);
    expect(byUser.items.every((i: { actor_id: string }) => i.actor_id === s.a.users.viewer.id)).toBe(true);
    const future = (
      await ctx.app.inject({
        url: `/api/tenants/${s.a.id}/audit-logs?from=2999-01-01T00:00:00Z`,
        headers: headersFor(s, 'admin'),
      })
    ).json();
    expect(future.items).toEqual([]);
  });

  it('exports CSV', async () => {
    const r = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/audit-logs?format=csv`,
      headers: headersFor(s, 'admin'),
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/csv/);
    const lines = r.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'seq,created_at,actor_type,actor_label,actor_id,action,target_type,target_id,ip,request_id,details,hash',
    );
    expect(lines.length).toBeGreaterThan(3);
  });

  it("a tenant never sees another tenant's entries", async () => {
    const r = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/audit-logs?limit=1000`,
      headers: headersFor(s, 'admin'),
    });
    expect(JSON.stringify(r.json())).not.toContain('@b.test');
  });

  it('the chain verifies, and detects a row altered by a superuser', async () => {
    const before = await verify();
    expect(before).toMatchObject({ valid: true, first_broken_seq: null });
    expect(before.checked).toBeGreaterThan(3);
    // A database superuser rewrites history: the chain must notice.
    await ctx.pools.owner.query(
      'update audit_logs set details = \'{"description": "innocent"}\' where tenant_id = $1 and action = \'tenant.update\'',
      [s.a.id],
    );
    const seq = Number(
      (
        await ctx.pools.owner.query("select seq from audit_logs where tenant_id = $1 and action = 'tenant.update'", [
          s.a.id,
        ])
      ).rows[0].seq,
    );
    const after = await verify();
    expect(after).toMatchObject({ valid: false, first_broken_seq: seq });
    // Tenant B's chain is independent and still intact.
    expect((await verify(s.b)).valid).toBe(true);
  });

  it('detects a deleted row', async () => {
    expect((await verify(s.b)).valid).toBe(true);
    await ctx.pools.owner.query(
      'delete from audit_logs where id = (select id from audit_logs where tenant_id = $1 order by seq limit 1 offset 1)',
      [s.b.id],
    );
    const v = await verify(s.b);
    expect(v.valid).toBe(false);
    expect(v.first_broken_seq).toBe(3);
  });

  it('concurrent appends never fork the chain', async () => {
    const t = s.a;
    const before = Number(
      (await ctx.pools.owner.query('select count(*) from audit_logs where tenant_id = $1', [t.id])).rows[0].count,
    );
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ctx.app.inject({
          method: 'PATCH',
          url: `/api/tenants/${t.id}`,
          headers: headersFor(s, 'admin'),
          payload: { description: `c${i}` },
        }),
      ),
    );
    const r = await ctx.pools.owner.query(
      'select count(*)::int as n, count(distinct seq)::int as d, max(seq)::int as m from audit_logs where tenant_id = $1',
      [t.id],
    );
    expect(r.rows[0].n).toBe(before + 20);
    expect(r.rows[0].d).toBe(r.rows[0].n);
    expect(r.rows[0].m).toBe(r.rows[0].n);
  });

  it("the platform's own trail (no tenant) is for super_admin: its sign-ins and tenant creation", async () => {
    const r = await ctx.app.inject({ url: '/api/audit-logs?limit=500', headers: headersFor(s, 'super_admin') });
    expect(r.statusCode).toBe(200);
    const actions = r.json().items.map((i: { action: string }) => i.action);
    expect(actions).toContain('auth.login');
    expect(JSON.stringify(r.json())).toContain(s.superAdmin.email);
    const v = (await ctx.app.inject({ url: '/api/audit-logs/verify', headers: headersFor(s, 'super_admin') })).json();
    expect(v).toMatchObject({ valid: true, first_broken_seq: null });
    expect(v.checked).toBeGreaterThan(0);
    expect((await ctx.app.inject({ url: '/api/audit-logs', headers: headersFor(s, 'admin') })).statusCode).toBe(403);
  });
});

/// <reference types="vite/client" />
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessHelpers, type AccessRow, accessHelpers, isTested, type TestedRoute } from './helpers/access.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { type Caller, callers, headersFor, type Seed, seed } from './helpers/seed.js';

// Every route × every caller, plus the same calls aimed at another tenant. Each feature declares its rows in
// test/<feature>/access.ts (found here by file name); this file fails when a documented route has no row. The minimum
// role comes from the product description: viewer reads, admin manages users/keys/audit, super_admin creates and
// deletes tenants. API keys act as operators.
const modules = import.meta.glob<{ accessRows: AccessRow[] }>(['./*/access.ts', '!./helpers/*'], { eager: true });
const rows = Object.values(modules).flatMap((m) => m.accessRows);
const routes = rows.filter(isTested);

let ctx: TestContext;
let s: Seed;
let h: AccessHelpers;
const rank: Record<Caller, number> = { anonymous: 0, viewer: 1, api_key: 2, operator: 2, admin: 3, super_admin: 4 };

function expected(route: TestedRoute, caller: Caller): number {
  if (route.min === 'public') return route.ok;
  if (caller === 'anonymous') return 401;
  if (route.refuse?.includes(caller)) return 403;
  if (route.min === 'signed_in') return route.ok;
  return rank[caller] >= rank[route.min] ? route.ok : 403;
}

beforeAll(async () => {
  ctx = await createTestContext({ SCAN_RATE_LIMIT_PER_MINUTE: '1000' });
  s = await seed(ctx);
  h = accessHelpers(ctx, s);
});
afterAll(() => ctx?.close());

describe('access matrix', () => {
  it('covers every documented route, once, and no more', async () => {
    const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(rows.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented);
  });

  for (const route of routes) {
    for (const caller of callers) {
      const want = expected(route, caller);
      it(`${route.method} ${route.path} as ${caller} → ${want}`, async () => {
        const { url, body } = await route.make(s.a, h);
        const r = await ctx.app.inject({
          method: route.method,
          url,
          headers: headersFor(s, caller),
          payload: body as object,
        });
        expect(r.statusCode, r.body).toBe(want);
        if (want >= 400) expect(r.json()).toMatchObject({ code: expect.any(String), detail: expect.any(String) });
      });
    }
    if (route.tenantScoped) {
      for (const caller of ['viewer', 'operator', 'admin', 'api_key'] as const) {
        it(`${route.method} ${route.path} as tenant A ${caller} against tenant B → 404 or 403, never data`, async () => {
          const { url, body } = await route.make(s.b, h);
          const r = await ctx.app.inject({
            method: route.method,
            url,
            headers: headersFor(s, caller, s.a),
            payload: body as object,
          });
          // A role too low for the route is refused first (403) without learning whether tenant B exists.
          expect([403, 404]).toContain(r.statusCode);
          if (rank[caller] >= rank[route.min as Caller]) expect(r.statusCode).toBe(404);
          expect(r.body).not.toContain(s.b.id.slice(0, 8) + 'x');
          expect(JSON.stringify(r.json())).not.toMatch(/@b\.test/);
        });
      }
    }
  }

  it("a tenant's resource under another tenant's path is 404", async () => {
    const h = headersFor(s, 'admin', s.a);
    const user = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/users/${s.b.users.viewer.id}`, headers: h });
    expect(user.statusCode).toBe(404);
    const patch = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/tenants/${s.a.id}/users/${s.b.users.viewer.id}`,
      headers: h,
      payload: { name: 'hijack' },
    });
    expect(patch.statusCode).toBe(404);
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/tenants/${s.a.id}/api-keys/${s.b.apiKeyId}`,
      headers: h,
    });
    expect(del.statusCode).toBe(404);
    const still = await ctx.app.inject({ url: '/api/auth/me', headers: { 'x-api-key': s.b.apiKey } });
    expect(still.statusCode).toBe(200);
  });

  it('lists only what the caller may see', async () => {
    const mine = await ctx.app.inject({ url: '/api/tenants', headers: headersFor(s, 'viewer') });
    expect(mine.json().items.map((t: { id: string }) => t.id)).toEqual([s.a.id]);
    const users = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/users`, headers: headersFor(s, 'admin') });
    expect(users.json().items.every((u: { email: string }) => !u.email.endsWith('@b.test'))).toBe(true);
    const all = await ctx.app.inject({ url: '/api/tenants?limit=500', headers: headersFor(s, 'super_admin') });
    expect(all.json().items.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([s.a.id, s.b.id]));
  });

  it('a super_admin addressing a tenant that does not exist gets 404', async () => {
    const r = await ctx.app.inject({
      url: `/api/tenants/${randomUUID()}/users`,
      headers: headersFor(s, 'super_admin'),
    });
    expect(r.statusCode).toBe(404);
  });
});

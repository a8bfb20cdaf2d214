import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './helpers/context.js';
import { type Caller, callers, headersFor, type Seed, type SeededTenant, seed } from './helpers/seed.js';

// Every route × every caller, plus the same calls aimed at another tenant. The minimum role comes from the product
// description: viewer reads, admin manages users/keys/audit, super_admin creates and deletes tenants. API keys act as
// operators.
type Route = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string; // OpenAPI-style template
  min: Caller | 'public' | 'signed_in';
  ok: number;
  tenantScoped: boolean;
  /** Callers refused with 403 although their rank would pass (e.g. API keys on user-only routes). */
  refuse?: Caller[];
  /** Builds the concrete URL and body for one call; may create throwaway resources first. */
  make: (t: SeededTenant) => Promise<{ url: string; body?: unknown }>;
};

let ctx: TestContext;
let s: Seed;
const rank: Record<Caller, number> = { anonymous: 0, viewer: 1, api_key: 2, operator: 2, admin: 3, super_admin: 4 };

const superHeaders = () => headersFor(s, 'super_admin');
async function throwawayUser(t: SeededTenant) {
  const r = await ctx.app.inject({
    method: 'POST',
    url: `/api/tenants/${t.id}/users`,
    headers: superHeaders(),
    payload: { email: `tmp-${randomUUID()}@x.test`, name: 'Tmp', role: 'viewer', password: 'a-long-test-password-1' },
  });
  return r.json().id as string;
}
async function throwawayKey(t: SeededTenant) {
  const r = await ctx.app.inject({
    method: 'POST',
    url: `/api/tenants/${t.id}/api-keys`,
    headers: superHeaders(),
    payload: { name: 'tmp' },
  });
  return r.json().id as string;
}
async function throwaway(t: SeededTenant, segment: string, body: object) {
  const r = await ctx.app.inject({
    method: 'POST',
    url: `/api/tenants/${t.id}/${segment}`,
    headers: superHeaders(),
    payload: body,
  });
  if (r.statusCode !== 201) throw new Error(`throwaway ${segment}: ${r.body}`);
  return r.json().id as string;
}
// Devices point at a closed loopback port: probes fail fast and predictably.
let nextPort = 1;
const deviceBody = () => ({
  name: `d-${randomUUID()}`,
  host: '127.0.0.1',
  port: nextPort++,
  tls_port: 1,
  username: 'admin',
  password: '',
});
const throwawayDevice = (t: SeededTenant) => throwaway(t, 'devices?probe=false', deviceBody());
async function throwawayTenant() {
  const r = await ctx.app.inject({
    method: 'POST',
    url: '/api/tenants',
    headers: superHeaders(),
    payload: { name: `tmp ${randomUUID()}` },
  });
  return r.json().id as string;
}

const routes: Route[] = [
  {
    method: 'GET',
    path: '/health',
    min: 'public',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/health' }),
  },
  {
    method: 'GET',
    path: '/api/health',
    min: 'public',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/health' }),
  },
  {
    method: 'GET',
    path: '/health/ready',
    min: 'public',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/health/ready' }),
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    min: 'signed_in',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/auth/me' }),
  },
  {
    method: 'GET',
    path: '/api/auth/options',
    min: 'public',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/auth/options' }),
  },
  {
    method: 'GET',
    path: '/api/tenants',
    min: 'viewer',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/tenants' }),
  },
  {
    method: 'POST',
    path: '/api/tenants',
    min: 'super_admin',
    ok: 201,
    tenantScoped: false,
    make: async () => ({ url: '/api/tenants', body: { name: `New ${randomUUID()}` } }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}` }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}`, body: { description: `d ${randomUUID()}` } }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}',
    min: 'super_admin',
    ok: 204,
    tenantScoped: false,
    make: async () => ({ url: `/api/tenants/${await throwawayTenant()}` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/users',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/users` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/users',
    min: 'admin',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/users`,
      body: { email: `u-${randomUUID()}@x.test`, name: 'U', role: 'viewer', password: 'a-long-test-password-1' },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/users/{user_id}',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/users/${t.users.viewer.id}` }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/users/{user_id}',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/users/${await throwawayUser(t)}`, body: { name: 'Renamed' } }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/users/{user_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/users/${await throwawayUser(t)}` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/api-keys',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/api-keys` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/api-keys',
    min: 'admin',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/api-keys`, body: { name: 'k' } }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/api-keys/{key_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/api-keys/${await throwawayKey(t)}` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/audit-logs',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/audit-logs` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/audit-logs/verify',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/audit-logs/verify` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/sites',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/sites` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/sites',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/sites`, body: { name: `s-${randomUUID()}` } }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/sites/{id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/sites/${await throwaway(t, 'sites', { name: `s-${randomUUID()}` })}`,
    }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/sites/{id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/sites/${await throwaway(t, 'sites', { name: `s-${randomUUID()}` })}`,
      body: { name: `r-${randomUUID()}` },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/sites/{id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/sites/${await throwaway(t, 'sites', { name: `s-${randomUUID()}` })}`,
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/device-groups',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/device-groups` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/device-groups',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/device-groups`, body: { name: `g-${randomUUID()}` } }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/device-groups/{id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/device-groups/${await throwaway(t, 'device-groups', { name: `g-${randomUUID()}` })}`,
    }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/device-groups/{id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/device-groups/${await throwaway(t, 'device-groups', { name: `g-${randomUUID()}` })}`,
      body: { name: `r-${randomUUID()}` },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/device-groups/{id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/device-groups/${await throwaway(t, 'device-groups', { name: `g-${randomUUID()}` })}`,
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/device-tags',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/device-tags` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/device-tags',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/device-tags`,
      body: { name: `t-${randomUUID()}`, color: '#112233' },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/device-tags/{id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/device-tags/${await throwaway(t, 'device-tags', { name: `t-${randomUUID()}`, color: '#112233' })}`,
    }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/device-tags/{id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/device-tags/${await throwaway(t, 'device-tags', { name: `t-${randomUUID()}`, color: '#112233' })}`,
      body: { name: `r-${randomUUID()}` },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/device-tags/{id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/device-tags/${await throwaway(t, 'device-tags', { name: `t-${randomUUID()}`, color: '#112233' })}`,
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/credential-profiles',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/credential-profiles` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/credential-profiles',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/credential-profiles`,
      body: { name: `p-${randomUUID()}`, username: 'admin', password: 'x' },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/credential-profiles/{profile_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/credential-profiles/${await throwaway(t, 'credential-profiles', { name: `p-${randomUUID()}`, username: 'admin', password: 'x' })}`,
    }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/credential-profiles/{profile_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/credential-profiles/${await throwaway(t, 'credential-profiles', { name: `p-${randomUUID()}`, username: 'admin', password: 'x' })}`,
      body: { name: `r-${randomUUID()}` },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/credential-profiles/{profile_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/credential-profiles/${await throwaway(t, 'credential-profiles', { name: `p-${randomUUID()}`, username: 'admin', password: 'x' })}`,
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/devices` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/devices?probe=false`, body: deviceBody() }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/probe',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/devices/probe`,
      body: { host: '127.0.0.1', port: 1, tls_port: 1, username: 'admin', password: '' },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/bulk',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/devices/bulk`,
      body: { action: 'disable', device_ids: [await throwawayDevice(t)] },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/import',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/devices/import`,
      body: {
        csv: `name,host,port,username,password\nimp-${randomUUID()},10.0.0.1,${20000 + nextPort++},admin,x\n`,
      },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/scan',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/devices/scan`,
      body: { cidr: '127.0.0.1/32', port: 1, tls_port: 1, timeout_ms: 200 },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/bulk-add',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/devices/bulk-add`,
      body: {
        devices: [{ host: '10.9.8.7', port: 40000 + nextPort++ }],
        username: 'admin',
        password: '',
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/devices/${await throwawayDevice(t)}` }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/devices/{device_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/devices/${await throwawayDevice(t)}`, body: { notes: 'edited' } }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/devices/{device_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/devices/${await throwawayDevice(t)}` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/probe',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/devices/${await throwawayDevice(t)}/probe` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/events',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/events` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/fleet/summary',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/fleet/summary` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/metrics/health',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/devices/${await throwawayDevice(t)}/metrics/health?range=1h` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/metrics/interfaces',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/devices/${await throwawayDevice(t)}/metrics/interfaces?range=24h`,
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/interfaces',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/devices/${await throwawayDevice(t)}/interfaces` }),
  },
  {
    method: 'GET',
    path: '/api/audit-logs',
    min: 'super_admin',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/audit-logs' }),
  },
  {
    method: 'GET',
    path: '/api/audit-logs/verify',
    min: 'super_admin',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/audit-logs/verify' }),
  },
];

function expected(route: Route, caller: Caller): number {
  if (route.min === 'public') return route.ok;
  if (caller === 'anonymous') return 401;
  if (route.refuse?.includes(caller)) return 403;
  if (route.min === 'signed_in') return route.ok;
  return rank[caller] >= rank[route.min] ? route.ok : 403;
}

beforeAll(async () => {
  ctx = await createTestContext({ SCAN_RATE_LIMIT_PER_MINUTE: '1000' });
  s = await seed(ctx);
});
afterAll(() => ctx?.close());

describe('access matrix', () => {
  it('covers every documented route and no more', async () => {
    const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      // Sign-in, enrolment and reset routes have their own tests (auth, srp, enrolment, password-reset); the SSE stream never ends, so test/sse.test.ts covers its access rules
      // over a real socket.
      // …and the demo fleet starts real simulated routers, so test/demo.test.ts covers it.
      .filter(
        (r) =>
          !/\/api\/auth\/(login|refresh|logout|srp\/init|srp\/verify|register-srp|forgot-password|reset-password)$|\/stream$|^\w+ \/api\/demo$/.test(
            r,
          ),
      )
      .sort();
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented);
  });

  for (const route of routes) {
    for (const caller of callers) {
      const want = expected(route, caller);
      it(`${route.method} ${route.path} as ${caller} → ${want}`, async () => {
        const { url, body } = await route.make(s.a);
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
          const { url, body } = await route.make(s.b);
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

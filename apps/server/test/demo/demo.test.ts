import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

let ctx: TestContext;
let s: Seed;
beforeAll(async () => {
  // Below Linux's ephemeral range (32768+): the test's own database connections take local ports there, and one
  // landing among the demo's 25 consecutive ports made POST /api/demo fail now and then.
  ctx = await createTestContext({ DEMO_BASE_PORT: String(21000 + (process.pid % 180) * 60) });
  s = await seed(ctx);
});
afterAll(async () => {
  await ctx?.services.demo.stop();
  await ctx?.close();
});

const call = (method: 'GET' | 'POST' | 'DELETE', caller: Parameters<typeof headersFor>[1] = 'super_admin') =>
  ctx.app.inject({ method, url: '/api/demo', headers: headersFor(s, caller) });

describe('demo fleet', () => {
  it('only a super_admin can start it', async () => {
    expect((await call('POST', 'admin')).statusCode).toBe(403);
    expect((await call('GET', 'anonymous')).statusCode).toBe(401);
  });

  it('creates a flagged organisation with 25 simulated routers that really answer', async () => {
    const r = await call('POST');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ active: true, devices: 25, simulator_running: true });
    const tenantId = r.json().tenant_id;
    const t = (await ctx.pools.owner.query('select name, is_demo from tenants where id = $1', [tenantId])).rows[0];
    expect(t).toEqual({ name: 'Demo (simulated)', is_demo: true });
    const devices = await ctx.app.inject({
      url: `/api/tenants/${tenantId}/devices?limit=100`,
      headers: headersFor(s, 'super_admin'),
    });
    const items = devices.json().items;
    expect(items).toHaveLength(25);
    expect(items.every((d: { is_demo: boolean }) => d.is_demo)).toBe(true);
    const versions = new Set(items.map((d: { name: string }) => d.name.split('-')[0]));
    expect(versions.size).toBeGreaterThan(3);
    // A simulated router answers like a real one.
    const first = items.find((d: { name: string }) => d.name === 'core-01');
    const probe = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${tenantId}/devices/${first.id}/probe`,
      headers: headersFor(s, 'super_admin'),
    });
    expect(probe.json()).toMatchObject({ ok: true, identity: 'core-01', model: 'CCR2116-12G-4S+' });
    // …and the one with the wrong stored password says so.
    const wrong = items.find((d: { name: string }) => d.name.endsWith('-25'));
    const bad = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${tenantId}/devices/${wrong.id}/probe`,
      headers: headersFor(s, 'super_admin'),
    });
    expect(bad.json().code).toBe('bad_credentials');
  });

  it('starting again changes nothing; removing deletes it all', async () => {
    expect((await call('POST')).json().devices).toBe(25);
    expect(Number((await ctx.pools.owner.query('select count(*) from tenants where is_demo')).rows[0].count)).toBe(1);
    const r = await call('DELETE');
    expect(r.json()).toMatchObject({ active: false, simulator_running: false });
    expect(Number((await ctx.pools.owner.query('select count(*) from devices where is_demo')).rows[0].count)).toBe(0);
  });
});

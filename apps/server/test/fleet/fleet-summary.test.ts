import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

let ctx: TestContext;
let s: Seed;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  const add = (tenant: string, name: string, state: Record<string, unknown>) => {
    const cols = Object.keys(state);
    return ctx.pools.owner.query(
      `insert into devices (tenant_id, name, host, username, password_enc, ${cols.join(', ')})
       values ($1, $2, $2, 'admin', '\\x00', ${cols.map((_, i) => `$${i + 3}`).join(', ')})`,
      [tenant, name, ...Object.values(state)],
    );
  };
  await add(s.a.id, 'busy', {
    status: 'online',
    cpu_load: 97,
    memory_total: 1000,
    memory_free: 100,
    version: '7.16',
    model: 'RB5009',
    latest_version: '7.20.4',
  });
  await add(s.a.id, 'calm', {
    status: 'online',
    cpu_load: 3,
    memory_total: 1000,
    memory_free: 900,
    version: '7.16',
    model: 'RB5009',
    latest_version: '7.16',
  });
  await add(s.a.id, 'gone', { status: 'offline', status_reason: 'timeout', version: '6.49.10', model: 'hEX S' });
  await add(s.a.id, 'off', { status: 'online', cpu_load: 100, disabled: true });
  await add(s.b.id, 'other-tenant', { status: 'offline', cpu_load: 99 });
});
afterAll(() => ctx?.close());

describe('fleet summary', () => {
  it('counts, ranks and groups the tenant’s devices from their latest state', async () => {
    const r = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/fleet/summary`, headers: headersFor(s, 'viewer') });
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(b.counts).toEqual({ total: 4, online: 2, offline: 1, degraded: 0, unknown: 0, disabled: 1 });
    expect(b.top_cpu.map((x: { name: string }) => x.name)).toEqual(['busy', 'calm']);
    expect(b.top_memory[0]).toMatchObject({ name: 'busy', value: 90 });
    expect(b.recent_offline).toEqual([expect.objectContaining({ name: 'gone', status_reason: 'timeout' })]);
    expect(b.versions[0]).toEqual({ version: '7.16', count: 2 });
    expect(b.models).toContainEqual({ model: 'hEX S', count: 1 });
    expect(b.updates_available).toBe(1);
    expect(JSON.stringify(b)).not.toContain('other-tenant');
  });
});

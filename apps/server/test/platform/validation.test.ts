import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

let ctx: TestContext;
let s: Seed;
beforeAll(async () => {
  ctx = await createTestContext({ BODY_LIMIT_BYTES: '4096' });
  s = await seed(ctx);
});
afterAll(() => ctx?.close());

const userCount = async () => Number((await ctx.pools.owner.query('select count(*) from users')).rows[0].count);

describe('bad input gets a clear error and changes nothing', () => {
  const post = (payload: string | object, headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/users`,
      headers: { ...headersFor(s, 'admin'), 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const good = { email: 'new@a.test', name: 'New', role: 'viewer', password: 'a-long-test-password-1' };

  it('malformed JSON → 400 invalid_json', async () => {
    const before = await userCount();
    const r = await post('{"email": "x@a.test",');
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({ detail: expect.any(String), code: 'invalid_json' });
    expect(await userCount()).toBe(before);
  });

  it('wrong types → 422 validation_failed naming the field', async () => {
    const r = await post({ ...good, role: 42 });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('validation_failed');
    expect(r.json().errors.map((e: { path: string }) => e.path)).toContain('body.role');
  });

  it('unknown fields → 422 (never silently dropped)', async () => {
    const before = await userCount();
    const r = await post({ ...good, is_superuser: true });
    expect(r.statusCode).toBe(422);
    expect(r.json().detail).toMatch(/is_superuser|unrecognized/i);
    expect(await userCount()).toBe(before);
  });

  it('a role outside the tenant roles (super_admin) is refused', async () => {
    const r = await post({ ...good, role: 'super_admin' });
    expect(r.statusCode).toBe(422);
  });

  it('oversized bodies → 413 body_too_large', async () => {
    const r = await post({ ...good, name: 'x'.repeat(10_000) });
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('body_too_large');
  });

  it('bad UUIDs in the path → 422', async () => {
    const r = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/users/not-a-uuid`, headers: headersFor(s, 'admin') });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('validation_failed');
    const t = await ctx.app.inject({ url: '/api/tenants/1234/users', headers: headersFor(s, 'admin') });
    expect(t.statusCode).toBe(422);
  });

  it('bad query parameters → 422', async () => {
    const r = await ctx.app.inject({ url: '/api/tenants?limit=-4', headers: headersFor(s, 'super_admin') });
    expect(r.statusCode).toBe(422);
    const u = await ctx.app.inject({ url: '/api/tenants?bogus=1', headers: headersFor(s, 'super_admin') });
    expect(u.statusCode).toBe(422);
  });

  it('wrong content type → 415', async () => {
    const r = await post('email=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.statusCode).toBe(415);
    expect(r.json().code).toBe('unsupported_media_type');
  });

  it('a duplicate email → 409 email_taken and no second row', async () => {
    expect((await post(good)).statusCode).toBe(201);
    const before = await userCount();
    const r = await post({ ...good, email: 'NEW@a.test' });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('email_taken');
    expect(await userCount()).toBe(before);
  });

  it('a failed change writes no audit row either (one transaction)', async () => {
    const count = async () => Number((await ctx.pools.owner.query('select count(*) from audit_logs')).rows[0].count);
    const before = await count();
    await post({ ...good, email: 'new@a.test' });
    expect(await count()).toBe(before);
  });

  it('unknown routes → 404 in the standard shape', async () => {
    const r = await ctx.app.inject({ url: '/api/nope' });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('not_found');
  });
});

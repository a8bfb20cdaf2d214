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

const create = (payload: object) =>
  ctx.app.inject({ method: 'POST', url: `/api/tenants/${s.a.id}/api-keys`, headers: headersFor(s, 'admin'), payload });
const meWith = (key: string) => ctx.app.inject({ url: '/api/auth/me', headers: { 'x-api-key': key } });

describe('API keys', () => {
  it('are shown once with the mktp_ prefix and stored only as SHA-256', async () => {
    const r = await create({ name: 'monitoring' });
    expect(r.statusCode).toBe(201);
    const { key, id, key_prefix } = r.json();
    expect(key).toMatch(/^mktp_[A-Za-z0-9_-]{43}$/);
    expect(key_prefix).toBe(key.slice(0, 12));
    const list = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/api-keys`, headers: headersFor(s, 'admin') });
    expect(list.body).not.toContain(key);
    const row = await ctx.pools.owner.query("select encode(key_hash, 'hex') as h from api_keys where id = $1", [id]);
    const { createHash } = await import('node:crypto');
    expect(row.rows[0].h).toBe(createHash('sha256').update(key).digest('hex'));
    const anywhere = await ctx.pools.owner.query(
      'select count(*)::int as n from api_keys where key_prefix = $1 and position($2 in key_prefix) > 0',
      [key_prefix, key],
    );
    expect(anywhere.rows[0].n).toBe(0);
  });

  it('authenticate as an operator of their tenant, by X-API-Key or Bearer, and record last use', async () => {
    const { key, id } = (await create({ name: 'ops' })).json();
    const m = await meWith(key);
    expect(m.json()).toMatchObject({ kind: 'api_key', role: 'operator', tenant_id: s.a.id, name: 'ops' });
    const b = await ctx.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${key}` } });
    expect(b.statusCode).toBe(200);
    const used = await ctx.pools.owner.query('select last_used_at from api_keys where id = $1', [id]);
    expect(used.rows[0].last_used_at).not.toBeNull();
  });

  it('stop working when revoked', async () => {
    const { key, id } = (await create({ name: 'temp' })).json();
    expect((await meWith(key)).statusCode).toBe(200);
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/tenants/${s.a.id}/api-keys/${id}`,
      headers: headersFor(s, 'admin'),
    });
    expect(del.statusCode).toBe(204);
    const r = await meWith(key);
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('api_key_invalid');
    const listed = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/api-keys?include_revoked=true`,
      headers: headersFor(s, 'admin'),
    });
    expect(listed.json().items.find((k: { id: string }) => k.id === id).revoked_at).not.toBeNull();
    const active = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/api-keys`, headers: headersFor(s, 'admin') });
    expect(active.json().items.find((k: { id: string }) => k.id === id)).toBeUndefined();
  });

  it('stop working after their expiry', async () => {
    const { key, id } = (
      await create({ name: 'short', expires_at: new Date(Date.now() + 60_000).toISOString() })
    ).json();
    expect((await meWith(key)).statusCode).toBe(200);
    await ctx.pools.owner.query("update api_keys set expires_at = now() - interval '1 second' where id = $1", [id]);
    expect((await meWith(key)).statusCode).toBe(401);
  });

  it('refuse an expiry in the past, and unknown or malformed keys', async () => {
    expect((await create({ name: 'x', expires_at: '2001-01-01T00:00:00Z' })).statusCode).toBe(422);
    expect((await meWith('mktp_' + 'A'.repeat(43))).statusCode).toBe(401);
    expect((await meWith('garbage')).statusCode).toBe(401);
  });

  it('cannot manage users or keys (operator level)', async () => {
    const h = headersFor(s, 'api_key');
    expect((await ctx.app.inject({ url: `/api/tenants/${s.a.id}/users`, headers: h })).statusCode).toBe(403);
    expect(
      (
        await ctx.app.inject({
          method: 'POST',
          url: `/api/tenants/${s.a.id}/api-keys`,
          headers: h,
          payload: { name: 'x' },
        })
      ).statusCode,
    ).toBe(403);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditRows } from '../audit/open.js';
import { TEST_PASSWORD } from '../helpers/constants.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { type Seed, seed } from '../helpers/seed.js';

let ctx: TestContext;
let s: Seed;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
});
afterAll(() => ctx?.close());

const login = (email: string, password = TEST_PASSWORD) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
const cookie = (r: Awaited<ReturnType<typeof login>>, name: string) => r.cookies.find((c) => c.name === name);
const refresh = (token: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/refresh', cookies: { tod_refresh: token } });
const me = (token: string) => ctx.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });

describe('sign-in and sessions', () => {
  it('login returns a bearer token and httpOnly SameSite=Strict cookies (not Secure in dev)', async () => {
    const r = await login(s.a.users.operator.email);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 900 });
    const access = cookie(r, 'tod_access')!;
    const refreshC = cookie(r, 'tod_refresh')!;
    expect(access).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 900 });
    expect(access.secure).toBeFalsy();
    expect(refreshC).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });
    expect(refreshC.maxAge).toBeGreaterThan(6 * 86400);
  });

  it('the access cookie alone authenticates', async () => {
    const r = await login(s.a.users.viewer.email);
    const m = await ctx.app.inject({ url: '/api/auth/me', cookies: { tod_access: cookie(r, 'tod_access')!.value } });
    expect(m.statusCode).toBe(200);
    expect(m.json()).toMatchObject({ kind: 'user', role: 'viewer', tenant_id: s.a.id, email: s.a.users.viewer.email });
    expect(m.json().permissions['users.create']).toBe(false);
  });

  it('wrong password and unknown email give the same 401, and both are audited', async () => {
    const bad = await login(s.a.users.admin.email, 'wrong-password-123');
    const unknown = await login('nobody@nowhere.test', 'wrong-password-123');
    expect(bad.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(bad.json()).toEqual(unknown.json());
    expect(bad.json().code).toBe('invalid_credentials');
    const rows = await ctx.pools.owner.query(
      "select tenant_id, entry_id, details, details_sealed from audit_logs where action = 'auth.login_failed' order by id",
    );
    expect(await openAuditRows(ctx, rows.rows)).toEqual(
      expect.arrayContaining([
        { tenant_id: s.a.id, details: { reason: 'bad_password' } },
        { tenant_id: null, details: { reason: 'unknown_email' } },
      ]),
    );
  });

  it('the password never appears in the audit trail', async () => {
    await login(s.a.users.admin.email, 'a-secret-that-must-not-leak');
    const r = await ctx.pools.owner.query('select count(*)::int as n from audit_logs where details::text like $1', [
      '%must-not-leak%',
    ]);
    expect(r.rows[0].n).toBe(0);
  });

  it('refresh rotates; reusing a spent refresh token revokes the whole session', async () => {
    const first = await login(s.a.users.admin.email);
    const r1 = cookie(first, 'tod_refresh')!.value;
    const second = await refresh(r1);
    expect(second.statusCode).toBe(200);
    const r2 = cookie(second, 'tod_refresh')!.value;
    expect(r2).not.toBe(r1);
    const access2 = second.json().access_token;
    expect((await me(access2)).statusCode).toBe(200);

    const replay = await refresh(r1);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('invalid_refresh_token');
    // The thief's replay killed the family: the legitimate newest token and its access token are dead too.
    expect((await refresh(r2)).statusCode).toBe(401);
    expect((await me(access2)).statusCode).toBe(401);
    // Other sessions of the same user are untouched.
    expect((await me(s.a.users.admin.token)).statusCode).toBe(200);
  });

  it('refresh also accepts the token in the body; garbage is 401', async () => {
    const r = await login(s.a.users.viewer.email);
    const ok = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: cookie(r, 'tod_refresh')!.value },
    });
    expect(ok.statusCode).toBe(200);
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: 'nope' } });
    expect(bad.statusCode).toBe(401);
    const none = await ctx.app.inject({ method: 'POST', url: '/api/auth/refresh' });
    expect(none.statusCode).toBe(401);
  });

  it('logout revokes the session: its access and refresh tokens stop working', async () => {
    const r = await login(s.a.users.operator.email);
    const access = r.json().access_token;
    const out = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${access}` },
      cookies: { tod_refresh: cookie(r, 'tod_refresh')!.value },
    });
    expect(out.statusCode).toBe(204);
    expect(cookie(out, 'tod_access')?.value).toBe('');
    expect((await me(access)).statusCode).toBe(401);
    expect((await refresh(cookie(r, 'tod_refresh')!.value)).statusCode).toBe(401);
  });

  it('disabling a user ends their sessions at once and blocks sign-in', async () => {
    const email = s.b.users.viewer.email;
    const token = (await login(email)).json().access_token;
    const patch = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/tenants/${s.b.id}/users/${s.b.users.viewer.id}`,
      headers: { authorization: `Bearer ${s.b.users.admin.token}` },
      payload: { is_active: false },
    });
    expect(patch.statusCode).toBe(200);
    expect((await me(token)).statusCode).toBe(401);
    expect((await login(email)).statusCode).toBe(401);
  });

  it('an admin cannot demote, disable or delete themselves: 403 cannot_modify_self', async () => {
    const h = { authorization: `Bearer ${s.a.users.admin.token}` };
    const url = `/api/tenants/${s.a.id}/users/${s.a.users.admin.id}`;
    for (const payload of [{ role: 'viewer' }, { is_active: false }]) {
      const r = await ctx.app.inject({ method: 'PATCH', url, headers: h, payload });
      expect(r.statusCode).toBe(403);
      expect(r.json().code).toBe('cannot_modify_self');
    }
    const del = await ctx.app.inject({ method: 'DELETE', url, headers: h });
    expect(del.statusCode).toBe(403);
    expect(del.json().code).toBe('cannot_modify_self');
    // Their own name is theirs to change.
    expect((await ctx.app.inject({ method: 'PATCH', url, headers: h, payload: { name: 'Me' } })).statusCode).toBe(200);
  });

  it('an admin cannot reset their own password (that needs the SRP proof of register-srp)', async () => {
    const h = { authorization: `Bearer ${s.b.users.admin.token}` };
    const url = `/api/tenants/${s.b.id}/users/${s.b.users.admin.id}`;
    const hashOf = async () =>
      (await ctx.pools.owner.query('select password_hash from users where id = $1', [s.b.users.admin.id])).rows[0];
    const before = await hashOf();
    const fresh = 'taken-over-password-123';
    for (const payload of [{ password: fresh }, { name: 'Still me', password: fresh }]) {
      const r = await ctx.app.inject({ method: 'PATCH', url, headers: h, payload });
      expect(r.statusCode).toBe(403);
      expect(r.json().code).toBe('cannot_modify_self');
    }
    expect(await hashOf()).toEqual(before);
    expect((await login(s.b.users.admin.email, fresh)).statusCode).toBe(401);
    expect((await me(s.b.users.admin.token)).statusCode).toBe(200); // nothing else happened: the session lives
    // Another admin's reset still works (the tenant's operator here, by the super_admin).
    const other = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/tenants/${s.b.id}/users/${s.b.users.operator.id}`,
      headers: { authorization: `Bearer ${s.superAdmin.token}` },
      payload: { password: fresh },
    });
    expect(other.statusCode).toBe(200);
  });

  it('a tampered or foreign-key-signed token is refused', async () => {
    const [h, p] = s.a.users.viewer.token.split('.');
    const forged = `${h}.${p}.AAAA`;
    expect((await me(forged)).statusCode).toBe(401);
    expect((await me('not.a.jwt')).json().code).toBe('not_authenticated');
  });

  it('an expired access token says token_expired; one signed with another key or alg is refused', async () => {
    const { createHmac } = await import('node:crypto');
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const make = (header: object, payload: object, secret: string) => {
      const body = `${b64(header)}.${b64(payload)}`;
      return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    };
    const claims = {
      sub: s.a.users.viewer.id,
      sid: '00000000-0000-4000-8000-000000000000',
      iss: 'tod',
      aud: 'tod-api',
    };
    const header = { alg: 'HS256', typ: 'JWT' };
    const expired = await me(make(header, { ...claims, iat: now - 3600, exp: now - 60 }, ctx.config.jwtSecret));
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('token_expired');
    const otherKey = await me(make(header, { ...claims, exp: now + 60 }, 'some-other-secret-of-enough-length-123'));
    expect(otherKey.json().code).toBe('not_authenticated');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: now + 60 })}.`;
    expect((await me(none)).json().code).toBe('not_authenticated');
  });
});

describe('rate limit on auth endpoints', () => {
  it('the 6th login attempt in a minute from one IP is 429 in the standard shape', async () => {
    const limited = await createTestContext({ AUTH_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'x@y.test', password: 'whatever-password' },
          remoteAddress: '10.9.9.9',
        });
        codes.push(r.statusCode);
        if (r.statusCode === 429) {
          expect(r.json().code).toBe('rate_limited');
          expect(r.headers['retry-after']).toBeDefined();
        }
      }
      expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
      // Another address is not affected.
      const other = await limited.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'x@y.test', password: 'whatever-password' },
        remoteAddress: '10.9.9.10',
      });
      expect(other.statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

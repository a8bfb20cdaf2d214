import { enrol, newSecretKey, type SrpInit, signInProof } from '@tod/srp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../src/platform/db/tx.js';
import { TEST_PASSWORD } from '../helpers/constants.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { enrolSession, headersFor, type Seed, seed, sessionIdOf } from '../helpers/seed.js';

// Issue 6: password sign-in only enrols; a full session changes its password only with a proof of the current one;
// an admin reset sends the user back to enrolment.

let ctx: TestContext;
let s: Seed;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

async function init(email: string): Promise<SrpInit & { session_id: string }> {
  const r = await ctx.app.inject({ method: 'POST', url: '/api/auth/srp/init', payload: { email } });
  expect(r.statusCode).toBe(200);
  return r.json();
}
/** A fresh proof of a password + Secret Key, ready for /srp/verify or register-srp's `proof`. */
async function proof(email: string, password: string, secretKey: Uint8Array) {
  const i = await init(email);
  const p = await signInProof({ email, password, secretKey, init: i });
  return { session_id: i.session_id, A: p.A, M1: p.M1 };
}
const register = (token: string, payload: unknown) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/register-srp', headers: bearer(token), payload: payload as object });
const signIn = async (email: string, password: string, secretKey: Uint8Array) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/srp/verify', payload: await proof(email, password, secretKey) });
const auditActions = () =>
  withSystem(
    ctx.pools.system,
    async (db) => (await db.query<{ action: string }>('select action from audit_logs')).rows,
  );

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
});
afterAll(() => ctx?.close());

describe('an enrol-only session', () => {
  let token: string;
  beforeAll(async () => {
    token = await enrolSession(ctx, s.a.users.operator.email);
  });

  it('reads /me with every permission false and session_scope enrol', async () => {
    const me = await ctx.app.inject({ url: '/api/auth/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ session_scope: 'enrol', must_upgrade_auth: true, role: 'operator' });
    expect(Object.values(me.json().permissions).some(Boolean)).toBe(false);
  });

  it('is refused on every documented route but /me and enrolment (403 enrolment_required)', async () => {
    const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
    const allowed = new Set(['GET /api/auth/me', 'POST /api/auth/register-srp', 'POST /api/auth/logout']);
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[] }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (allowed.has(key) || (Array.isArray(op.security) && op.security.length === 0)) continue;
        const url = path.replace('{tenant_id}', s.a.id).replace(/\{[a-z_]+\}/g, '00000000-0000-4000-8000-000000000000');
        const r = await ctx.app.inject({ method: method.toUpperCase() as 'GET', url, headers: bearer(token) });
        expect(r.statusCode, key).toBe(403);
        expect(r.json().code, key).toBe('enrolment_required');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('lasts two hours: an expired session is refused and cannot refresh', async () => {
    const r = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: s.a.users.viewer.email, password: TEST_PASSWORD },
    });
    const access = r.json().access_token as string;
    const refresh = /tod_refresh=([^;]+)/.exec(String(r.headers['set-cookie']))?.[1];
    expect(refresh).toBeTruthy();
    const sid = sessionIdOf(access);
    const row = await withSystem(ctx.pools.system, (db) =>
      db.query<{ session_h: number }>(
        'select extract(epoch from expires_at - now()) / 3600 as session_h from auth_sessions where id = $1',
        [sid],
      ),
    );
    expect(Number(row.rows[0]!.session_h)).toBeLessThanOrEqual(2);
    await withSystem(ctx.pools.system, (db) =>
      db.query(`update auth_sessions set expires_at = now() - interval '1 second' where id = $1`, [sid]),
    );
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: bearer(access) })).statusCode).toBe(401);
    const renewed = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      cookies: { tod_refresh: decodeURIComponent(refresh!) },
    });
    expect(renewed.statusCode).toBe(401);
    expect(renewed.json().code).toBe('invalid_refresh_token');
  });

  it('enrols, becomes a full session at once, and the old password stops working', async () => {
    const other = await enrolSession(ctx, s.a.users.operator.email);
    const email = s.a.users.operator.email;
    const reg = await enrol({ email, password: 'operator passphrase one', secretKey: newSecretKey() });
    expect((await register(token, reg)).statusCode).toBe(204);
    const devices = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/devices`, headers: bearer(token) });
    expect(devices.statusCode).toBe(200);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: bearer(other) })).statusCode).toBe(401);
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: TEST_PASSWORD },
    });
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('invalid_credentials');
    const row = await withSystem(ctx.pools.system, (db) =>
      db.query('select password_hash, must_upgrade_auth from users where email = $1', [email]),
    );
    expect(row.rows[0]).toEqual({ password_hash: null, must_upgrade_auth: false });
  });
});

describe('register-srp from a full session (password change)', () => {
  const email = () => s.a.users.admin.email;
  const key = newSecretKey();
  let session: string;

  beforeAll(async () => {
    session = await enrolSession(ctx, email());
    expect(
      (await register(session, await enrol({ email: email(), password: 'first passphrase here', secretKey: key })))
        .statusCode,
    ).toBe(204);
  });

  it('refuses anonymous (401) and API keys (403)', async () => {
    const body = await enrol({ email: 'x@y.test', password: 'whatever passphrase', secretKey: key });
    const anon = await ctx.app.inject({ method: 'POST', url: '/api/auth/register-srp', payload: body });
    expect(anon.statusCode).toBe(401);
    const key403 = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/register-srp',
      headers: headersFor(s, 'api_key'),
      payload: body,
    });
    expect(key403.statusCode).toBe(403);
  });

  it('needs a proof of the current password: none, a wrong one, or another user’s all get 403', async () => {
    const next = await enrol({ email: email(), password: 'second passphrase here', secretKey: key });
    const none = await register(session, next);
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe('reauthentication_failed');
    const wrong = await register(session, { ...next, proof: await proof(email(), 'not the passphrase', key) });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toEqual({
      code: 'reauthentication_failed',
      detail: 'the current password or Secret Key is wrong',
    });
    // A valid proof for a different account (operator, enrolled above) does not authorise this one.
    const foreign = await register(session, {
      ...next,
      proof: await proof(s.a.users.operator.email, 'operator passphrase one', newSecretKey()),
    });
    expect(foreign.statusCode).toBe(403);
    expect((await auditActions()).filter((a) => a.action === 'user.srp_reauth_failed').length).toBeGreaterThanOrEqual(
      2,
    );
    // Nothing changed: the first passphrase still signs in.
    expect((await signIn(email(), 'first passphrase here', key)).statusCode).toBe(200);
  });

  it('changes the password with a proof, keeps the Secret Key, ends the other sessions', async () => {
    const elsewhere = (await signIn(email(), 'first passphrase here', key)).json().access_token as string;
    const next = await enrol({ email: email(), password: 'second passphrase here', secretKey: key });
    const ok = await register(session, { ...next, proof: await proof(email(), 'first passphrase here', key) });
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: bearer(elsewhere) })).statusCode).toBe(401);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: bearer(session) })).statusCode).toBe(200);
    expect((await signIn(email(), 'first passphrase here', key)).statusCode).toBe(401);
    expect((await signIn(email(), 'second passphrase here', key)).statusCode).toBe(200);
    expect((await auditActions()).map((a) => a.action)).toContain('user.password_changed');
  });
});

describe('admin reset', () => {
  it('a new temporary password clears the verifier: old credentials fail, the user enrols again', async () => {
    const email = s.a.users.viewer.email;
    const key = newSecretKey();
    const first = await enrolSession(ctx, email);
    expect(
      (await register(first, await enrol({ email, password: 'viewer passphrase one', secretKey: key }))).statusCode,
    ).toBe(204);
    expect((await signIn(email, 'viewer passphrase one', key)).statusCode).toBe(200);

    const reset = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/tenants/${s.a.id}/users/${s.a.users.viewer.id}`,
      // (tenant A's admin enrolled above, which ended the seeded admin session)
      headers: headersFor(s, 'super_admin'),
      payload: { password: 'temporary-password-42' },
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().must_upgrade_auth).toBe(true);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: bearer(first) })).statusCode).toBe(401);
    expect((await signIn(email, 'viewer passphrase one', key)).statusCode).toBe(401);
    const temp = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: 'temporary-password-42' },
    });
    expect(temp.statusCode).toBe(200);
    const me = await ctx.app.inject({ url: '/api/auth/me', headers: bearer(temp.json().access_token) });
    expect(me.json().session_scope).toBe('enrol');
  });
});

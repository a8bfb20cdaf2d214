import { getDiffieHellman, randomBytes } from 'node:crypto';
import {
  bytesToHex,
  clientExchange,
  deriveX,
  enrol,
  formatSecretKey,
  newSecretKey,
  parseSecretKey,
  verifierFor,
} from '@tod/srp';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GROUP_3072,
  H,
  identity,
  multiplier,
  pad,
  serverPublic,
  toBigInt,
  verifyClient,
} from '../../src/features/srp/srp.math.js';
import { hashPassword } from '../../src/platform/auth/passwords.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { createHttpServer } from '../../src/runtime/http.js';
import { createServices } from '../../src/runtime/services.js';
import { TEST_PASSWORD } from '../helpers/constants.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { enrolSession } from '../helpers/seed.js';

const EMAIL = 'Srp.User@Example.test';
const PASSWORD = '  correct horse battery staple  '; // surrounding spaces are trimmed by 2SKD
const N = GROUP_3072.N;
const hex768 = (x: bigint) => x.toString(16).padStart(768, '0');

let ctx: TestContext;
let other: FastifyInstance;
let userId: string;
const secretKey = newSecretKey();
let x: bigint; // derived once for the right password and Secret Key: each derivation costs ~0.3 s

async function init(app: FastifyInstance, email = EMAIL) {
  const r = await app.inject({ method: 'POST', url: '/api/auth/srp/init', payload: { email } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { session_id: string; salt: string; B: string; iterations: number };
}
async function verify(app: FastifyInstance, body: { session_id: string; A: string; M1: string }) {
  return app.inject({ method: 'POST', url: '/api/auth/srp/verify', payload: body });
}
/** One complete client run against `initApp` then `verifyApp`, with a given x. */
async function signIn(initApp: FastifyInstance, verifyApp: FastifyInstance, withX: bigint) {
  const s = await init(initApp);
  const c = await clientExchange({
    email: EMAIL,
    salt: Buffer.from(s.salt, 'hex'),
    B: toBigInt(Buffer.from(s.B, 'hex')),
    x: withX,
  });
  const body = { session_id: s.session_id, A: hex768(c.A), M1: bytesToHex(c.M1) };
  return { res: await verify(verifyApp, body), client: c, body };
}
const expectRefused = (r: { statusCode: number; json: () => unknown }) => {
  expect(r.statusCode).toBe(401);
  expect(r.json()).toEqual({ code: 'invalid_credentials', detail: 'sign-in failed' });
};
const auditActions = async () =>
  withSystem(
    ctx.pools.system,
    async (db) =>
      (
        await db.query<{ action: string; details: { reason?: string } }>(
          'select action, details from audit_logs order by seq',
        )
      ).rows,
  );

beforeAll(async () => {
  ctx = await createTestContext();
  const hash = await hashPassword(TEST_PASSWORD);
  userId = await withSystem(ctx.pools.system, async (db) => {
    const r = await db.query<{ id: string }>(
      `insert into users (tenant_id, email, name, role, password_hash)
       values (null, $1, 'SRP user', 'super_admin', $2) returning id`,
      [EMAIL, hash],
    );
    return r.rows[0]!.id;
  });
  // A second api process on the same database: its own services, pools shared only through PostgreSQL state.
  const log = pino({ level: 'silent' });
  const services = createServices({ config: ctx.config, log, appPool: ctx.pools.app, systemPool: ctx.pools.system });
  other = await createHttpServer({ config: ctx.config, log, services, readiness: [] });
  await other.ready();
});
afterAll(async () => {
  await other?.close();
  await ctx?.close();
});

describe('SRP core', () => {
  it('uses the RFC 5054 3072-bit prime (RFC 3526 group 15) with g = 5', () => {
    expect(N).toBe(toBigInt(getDiffieHellman('modp15').getPrime()));
    expect(pad(GROUP_3072, N)).toHaveLength(384);
    expect(multiplier(GROUP_3072)).not.toBe(0n);
  });
});

// The fixed vectors published in docs/AUTH.md, so an independent client can check itself step by step.
describe('2SKD and exchange vectors (docs/AUTH.md)', () => {
  it('derives x, v and the exchange values the document states', async () => {
    const email = ' Alice@Example.TEST ';
    const salt = Buffer.from('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf', 'hex');
    const key = parseSecretKey('A3-000G40-R40M3-0E209-185GR-38E1W');
    expect(bytesToHex(key)).toBe('000102030405060708090a0b0c0d0e0f');
    const vx = await deriveX({ email, password: '  Pa\u0301ss \ufb01le 1  ', secretKey: key, salt });
    expect(vx.toString(16)).toBe('43e9c64a6dcb32e2b911d79b97d34f89f1d5fe42de18bf02d21a097c352846b8');
    const v = verifierFor(vx);
    const h = (n: bigint) => H(GROUP_3072, pad(GROUP_3072, n)).toString('hex');
    expect(h(v)).toBe('d65d6e72973aa457b417b095c56d6acd22697949aa90210432fe7d9b0c1feef4');
    expect(multiplier(GROUP_3072).toString(16)).toBe('81f4874fa543a371b49a670402fda59ecfab53a1b850fc42e1c357cc846111e');
    const b = BigInt(`0x${'22'.repeat(32)}`);
    const B = serverPublic(GROUP_3072, v, b);
    const c = await clientExchange({ email, salt, B, x: vx, a: BigInt(`0x${'11'.repeat(32)}`) });
    expect(h(c.A)).toBe('554d1db9c9d367c73c139993a6aec6bc5f4d7ab233f954bb85067f7fdee8c4b2');
    expect(h(B)).toBe('896c26ec1a39b78d79fc36210902a050d10d84e1afe24e2bc2f3fec00f4928a3');
    expect(bytesToHex(c.K)).toBe('8939d56fbf1b74ecce81284b1183bf366523f970efc66efa3fb1ca552686b882');
    expect(bytesToHex(c.M1)).toBe('10e14dfc8749a65b52ef3721240ddb5b94a7c2184c13125e1b39c5f369382fd5');
    const M2 = verifyClient(GROUP_3072, { I: identity(email), salt, A: c.A, B, b, v, M1: c.M1 });
    expect(M2?.toString('hex')).toBe('3c97a0f259129eb27b265e4e5c73e6b76e88294b41ee70fbf3ae96d2ec78af2f');
    expect(bytesToHex(c.expectedM2)).toBe(M2?.toString('hex'));
  });
});

describe('SRP sign-in over HTTP', () => {
  it('enrols a verifier from a password session, clears must_upgrade_auth and ends the other sessions', async () => {
    const earlier = await enrolSession(ctx, EMAIL);
    const current = await enrolSession(ctx, EMAIL);
    const reg = await enrol({ email: EMAIL, password: PASSWORD, secretKey });
    x = await deriveX({ email: EMAIL, password: PASSWORD, secretKey, salt: Buffer.from(reg.salt, 'hex') });
    const r = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/register-srp',
      headers: { authorization: `Bearer ${current}` },
      payload: reg,
    });
    expect(r.statusCode, r.body).toBe(204);
    const me = await ctx.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${current}` } });
    expect(me.json().must_upgrade_auth).toBe(false);
    const old = await ctx.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${earlier}` } });
    expect(old.statusCode).toBe(401);
    expect((await auditActions()).map((a) => a.action)).toContain('user.srp_enrolled');
    const anon = await ctx.app.inject({ method: 'POST', url: '/api/auth/register-srp', payload: reg });
    expect(anon.statusCode).toBe(401);
  });

  it('signs in with the reference client: M2 proves the server, tokens and cookies work', async () => {
    const s = await init(ctx.app);
    expect(s.iterations).toBe(650_000);
    const { res, client } = await signIn(ctx.app, ctx.app, x);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.M2).toBe(bytesToHex(client.expectedM2));
    expect(out.token_type).toBe('bearer');
    expect(String(res.headers['set-cookie'])).toContain('tod_access=');
    const me = await ctx.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${out.access_token}` } });
    expect(me.json()).toMatchObject({ id: userId, email: EMAIL });
    expect((await auditActions()).map((a) => a.action)).toContain('auth.srp_login');
  });

  it('a session id is single-use', async () => {
    const { res, body } = await signIn(ctx.app, ctx.app, x);
    expect(res.statusCode).toBe(200);
    expectRefused(await verify(ctx.app, body));
  });

  it('refuses a wrong password and a wrong Secret Key with the same 401', async () => {
    const salt = Buffer.from((await init(ctx.app)).salt, 'hex');
    const badPassword = await deriveX({ email: EMAIL, password: 'correct horse battery stapler', secretKey, salt });
    expectRefused((await signIn(ctx.app, ctx.app, badPassword)).res);
    const badKey = await deriveX({ email: EMAIL, password: PASSWORD, secretKey: newSecretKey(), salt });
    expectRefused((await signIn(ctx.app, ctx.app, badKey)).res);
    const reasons = (await auditActions()).filter((a) => a.action === 'auth.srp_failed').map((a) => a.details.reason);
    expect(reasons).toContain('bad_proof');
  });

  it('refuses an expired session even with the right proof', async () => {
    const s = await init(ctx.app);
    await withSystem(ctx.pools.system, (db) =>
      db.query(`update srp_sessions set expires_at = now() - interval '1 second' where id = $1`, [s.session_id]),
    );
    const c = await clientExchange({
      email: EMAIL,
      salt: Buffer.from(s.salt, 'hex'),
      B: toBigInt(Buffer.from(s.B, 'hex')),
      x,
    });
    expectRefused(await verify(ctx.app, { session_id: s.session_id, A: hex768(c.A), M1: bytesToHex(c.M1) }));
  });

  it('refuses A = 0 and A = N, and a tampered M1', async () => {
    for (const A of [0n, N]) {
      const s = await init(ctx.app);
      expectRefused(
        await verify(ctx.app, { session_id: s.session_id, A: hex768(A), M1: randomBytes(32).toString('hex') }),
      );
    }
    const reasons = (await auditActions()).filter((a) => a.action === 'auth.srp_failed').map((a) => a.details.reason);
    expect(reasons.filter((r) => r === 'bad_A')).toHaveLength(2);
    const s = await init(ctx.app);
    const c = await clientExchange({
      email: EMAIL,
      salt: Buffer.from(s.salt, 'hex'),
      B: toBigInt(Buffer.from(s.B, 'hex')),
      x,
    });
    const M1 = Buffer.from(c.M1);
    M1[0]! ^= 1;
    expectRefused(await verify(ctx.app, { session_id: s.session_id, A: hex768(c.A), M1: M1.toString('hex') }));
    const bad = await verify(ctx.app, { session_id: s.session_id, A: '00', M1: bytesToHex(c.M1) });
    expect(bad.statusCode).toBe(422);
  });

  it('answers an unknown email with the same shape and a stable salt, then refuses', async () => {
    const real = await init(ctx.app);
    const a = await init(ctx.app, 'nobody@example.test');
    const b = await init(other, ' NOBODY@example.test ');
    expect(Object.keys(a).sort()).toEqual(Object.keys(real).sort());
    expect(a.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(a.B).toMatch(/^[0-9a-f]{768}$/);
    expect(a.iterations).toBe(real.iterations);
    expect(b.salt).toBe(a.salt);
    expect(b.B).not.toBe(a.B);
    expect((await init(ctx.app, 'someone-else@example.test')).salt).not.toBe(a.salt);
    const c = await clientExchange({
      email: 'nobody@example.test',
      salt: Buffer.from(a.salt, 'hex'),
      B: toBigInt(Buffer.from(a.B, 'hex')),
      x,
    });
    expectRefused(await verify(ctx.app, { session_id: a.session_id, A: hex768(c.A), M1: bytesToHex(c.M1) }));
  });

  it('init on one api process and verify on another', async () => {
    const one = await signIn(ctx.app, other, x);
    expect(one.res.statusCode, one.res.body).toBe(200);
    expect(one.res.json().M2).toBe(bytesToHex(one.client.expectedM2));
    const two = await signIn(other, ctx.app, x);
    expect(two.res.statusCode, two.res.body).toBe(200);
  });

  it('an enrolled account cannot use password sign-in: the same 401 as an unknown email, no session', async () => {
    const login = (email: string) =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: TEST_PASSWORD } });
    const r = await login(EMAIL);
    const unknown = await login('nobody-at-all@example.test');
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({ code: 'invalid_credentials', detail: 'email or password is wrong' });
    expect(r.json()).toEqual(unknown.json());
    expect(Object.keys(r.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('the database holds neither the password nor the Secret Key', async () => {
    const dump = await withSystem(ctx.pools.system, async (db) => {
      const users = await db.query('select * from users');
      const sessions = await db.query('select * from srp_sessions');
      const audit = await db.query('select * from audit_logs');
      return JSON.stringify([users.rows, sessions.rows, audit.rows], (_k, v) =>
        v?.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v,
      );
    });
    expect(dump).not.toContain(PASSWORD.trim());
    expect(dump).not.toContain(bytesToHex(secretKey));
    expect(dump).not.toContain(formatSecretKey(secretKey));
  });
});

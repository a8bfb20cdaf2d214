import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { randomExponent, verifierFor } from '@tod/srp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/platform/auth/passwords.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { TEST_PASSWORD } from '../helpers/constants.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

// Sign-in must not tell an enrolled email from an unknown one: not by its answer, and not by its time. Times are
// compared as the ratio of medians over interleaved calls with a wide band, never as absolute durations: before the
// fix the ratios were ~0.1 (password login) and ~0.3 (SRP verify), far outside it.

const ENROLLED = 'enrolled@enumeration.test';
const PENDING = 'pending@enumeration.test'; // has a temporary password, not enrolled yet
const UNKNOWN = 'nobody@enumeration.test';
const BAND = [0.55, 1.8] as const;

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  const hash = await hashPassword(TEST_PASSWORD);
  // Enrolled without the client's 650,000-round PBKDF2: any verifier g^x will do, nobody signs in successfully here.
  const v = Buffer.from(verifierFor(randomExponent()).toString(16).padStart(768, '0'), 'hex');
  await withSystem(ctx.pools.system, async (db) => {
    await db.query(
      `insert into users (tenant_id, email, name, role, srp_salt, srp_verifier)
       values (null, $1, 'Enrolled', 'super_admin', $2, $3)`,
      [ENROLLED, randomBytes(16), v],
    );
    await db.query(
      `insert into users (tenant_id, email, name, role, password_hash) values (null, $1, 'Pending', 'super_admin', $2)`,
      [PENDING, hash],
    );
  });
});
afterAll(() => ctx?.close());

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Runs each case `rounds` times, interleaved (so a busy moment hits all alike), and returns median ms per case. */
async function medians<K extends string>(rounds: number, cases: Record<K, () => Promise<number>>) {
  const keys = Object.keys(cases) as K[];
  const times = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (const k of keys) await cases[k](); // warm-up (the dummy hash, JIT, pool connections)
  for (let i = 0; i < rounds; i++) for (const k of keys) times[k].push(await cases[k]());
  return Object.fromEntries(keys.map((k) => [k, median(times[k])])) as Record<K, number>;
}

async function timed(fn: () => Promise<unknown>) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

describe('password sign-in (/api/auth/login)', () => {
  const login = (email: string, password = 'not-the-password-1') =>
    ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

  it('answers an enrolled, an unknown and a wrong-password account alike: 401 invalid_credentials', async () => {
    const [enrolled, unknown, wrong, enrolledRightishPassword] = await Promise.all([
      login(ENROLLED),
      login(UNKNOWN),
      login(PENDING),
      login(ENROLLED, TEST_PASSWORD),
    ]);
    for (const r of [enrolled, unknown, wrong, enrolledRightishPassword]) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual({ code: 'invalid_credentials', detail: 'email or password is wrong' });
      expect(Object.keys(r.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
    }
    const reasons = await ctx.pools.owner.query<{ reason: string }>(
      `select details->>'reason' as reason from audit_logs where action = 'auth.login_failed'`,
    );
    expect(reasons.rows.map((r) => r.reason).sort()).toEqual(['bad_password', 'enrolled', 'enrolled', 'unknown_email']);
  });

  it('takes as long for an enrolled email as for an unknown one (argon2 against a dummy hash)', async () => {
    const m = await medians(9, {
      enrolled: () => timed(() => login(ENROLLED)),
      unknown: () => timed(() => login(UNKNOWN)),
      wrongPassword: () => timed(() => login(PENDING)),
    });
    const ratio = m.enrolled / m.unknown;
    expect(ratio, JSON.stringify(m)).toBeGreaterThan(BAND[0]);
    expect(ratio, JSON.stringify(m)).toBeLessThan(BAND[1]);
    expect(m.wrongPassword / m.unknown, JSON.stringify(m)).toBeGreaterThan(BAND[0]);
    expect(m.wrongPassword / m.unknown, JSON.stringify(m)).toBeLessThan(BAND[1]);
  });
});

describe('SRP sign-in (/api/auth/srp/*)', () => {
  // One A for every attempt (each init has a fresh b), and a random M1: every verify fails the proof check.
  const A = verifierFor(randomExponent()).toString(16).padStart(768, '0');
  const init = async (email: string) => {
    const r = await ctx.app.inject({ method: 'POST', url: '/api/auth/srp/init', payload: { email } });
    return r.json().session_id as string;
  };
  const verify = (session_id: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/auth/srp/verify',
      payload: { session_id, A, M1: randomBytes(32).toString('hex') },
    });

  it('verify takes as long for an unknown email as for an enrolled one (same proof check, dummy verifier)', async () => {
    const attempt = (email: string) => async () => {
      const id = await init(email);
      return timed(async () => expect((await verify(id)).statusCode).toBe(401));
    };
    const m = await medians(15, { enrolled: attempt(ENROLLED), unknown: attempt(UNKNOWN), pending: attempt(PENDING) });
    for (const k of ['unknown', 'pending'] as const) {
      expect(m[k] / m.enrolled, JSON.stringify(m)).toBeGreaterThan(BAND[0]);
      expect(m[k] / m.enrolled, JSON.stringify(m)).toBeLessThan(BAND[1]);
    }
  });

  it('init takes as long for an unknown email as for an enrolled one', async () => {
    const m = await medians(15, {
      enrolled: () => timed(() => init(ENROLLED)),
      unknown: () => timed(() => init(UNKNOWN)),
    });
    expect(m.unknown / m.enrolled, JSON.stringify(m)).toBeGreaterThan(BAND[0]);
    expect(m.unknown / m.enrolled, JSON.stringify(m)).toBeLessThan(BAND[1]);
  });

  it('an unknown email still fails after the dummy proof check, and the audit trail says why', async () => {
    const r = await verify(await init(UNKNOWN));
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({ code: 'invalid_credentials', detail: 'sign-in failed' });
    const last = await ctx.pools.owner.query(
      `select actor_label, details from audit_logs where action = 'auth.srp_failed' order by seq desc limit 1`,
    );
    expect(last.rows[0]).toEqual({ actor_label: UNKNOWN, details: { reason: 'unknown_email' } });
  });
});

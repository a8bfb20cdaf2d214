import { randomBytes } from 'node:crypto';
import { bytesToHex, clientExchange, GROUP_3072, pad, verifierFor } from '@tod/srp';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { expect } from 'vitest';
import { accountFeature } from '../../src/features/account/account.feature.js';
import { features as allFeatures } from '../../src/features/index.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { createHttpServer } from '../../src/runtime/http.js';
import { createServices } from '../../src/runtime/services.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

// The account feature's tests run against TOD with the feature listed after audit, as src/features/index.ts lists
// it; until that line is there, this adds it (a second app on the test's own database, like srp.test.ts's).

export type AccountContext = TestContext & { api: FastifyInstance };

export async function createAccountContext(): Promise<AccountContext> {
  const ctx = await createTestContext();
  const listed = allFeatures.some((f) => f.name === accountFeature.name);
  if (listed) return { ...ctx, api: ctx.app };
  const at = allFeatures.findIndex((f) => f.name === 'audit') + 1;
  const features = [...allFeatures.slice(0, at), accountFeature, ...allFeatures.slice(at)];
  const log = pino({ level: 'silent' });
  const services = createServices({
    config: ctx.config,
    log,
    appPool: ctx.pools.app,
    systemPool: ctx.pools.system,
    features,
  });
  const api = await createHttpServer({ config: ctx.config, log, services, readiness: [] });
  await api.ready();
  return {
    ...ctx,
    api,
    close: async () => {
      await api.close();
      await services.close();
      await ctx.close();
    },
  };
}

/**
 * Gives an account a verifier for a random x directly (no 650,000-round PBKDF2: the password derivation is tested in
 * srp*.test.ts), and returns a maker of fresh proofs for it — or, with `wrong`, for another x.
 */
export async function enrolDirectly(ctx: TestContext, email: string) {
  const x = BigInt(`0x${randomBytes(32).toString('hex')}`);
  const salt = randomBytes(16);
  await withSystem(ctx.pools.system, (db) =>
    db.query('update users set srp_salt = $1, srp_verifier = $2 where lower(email) = lower($3)', [
      salt,
      Buffer.from(pad(GROUP_3072, verifierFor(x))),
      email,
    ]),
  );
  return async (opts: { wrong?: boolean } = {}) => {
    const init = await ctx.app.inject({ method: 'POST', url: '/api/auth/srp/init', payload: { email } });
    expect(init.statusCode, init.body).toBe(200);
    const i = init.json() as { session_id: string; salt: string; B: string };
    const c = await clientExchange({
      email,
      salt: Buffer.from(i.salt, 'hex'),
      B: BigInt(`0x${i.B}`),
      x: opts.wrong ? x + 1n : x,
    });
    return { session_id: i.session_id, A: bytesToHex(pad(GROUP_3072, c.A)), M1: bytesToHex(c.M1) };
  };
}

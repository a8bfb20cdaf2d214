import { enrol, hexToBytes, newSecretKey, signInProof } from '@tod/srp';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSrpService } from '../../src/features/srp/srp.service.js';
import { redisSrpStore } from '../../src/features/srp/srp.store.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { type External, startRedis } from '../helpers/external.js';

// With REDIS_URL set, SRP sessions live in Redis: init on one api process, verify on another, once, for 60 s.

let ctx: TestContext;
let redis: External;
let one: Redis;
let two: Redis;
const EMAIL = 'redis.user@example.test';
const PASSWORD = 'redis passphrase for sign-in';
const secretKey = newSecretKey();
const meta = { ip: '127.0.0.1', userAgent: null, requestId: null };

beforeAll(async () => {
  redis = await startRedis();
  one = new Redis(redis.url);
  two = new Redis(redis.url);
  ctx = await createTestContext({ REDIS_URL: redis.url });
  const reg = await enrol({ email: EMAIL, password: PASSWORD, secretKey });
  await withSystem(ctx.pools.system, (db) =>
    db.query(
      `insert into users (tenant_id, email, name, role, srp_salt, srp_verifier)
       values (null, $1, 'Redis user', 'super_admin', $2, $3)`,
      [EMAIL, Buffer.from(reg.salt, 'hex'), Buffer.from(reg.verifier, 'hex')],
    ),
  );
});
afterAll(async () => {
  one?.disconnect();
  two?.disconnect();
  await ctx?.close();
  await redis?.stop();
});

describe('SRP sessions in Redis', () => {
  it('init on one process, verify on another, and only once', async () => {
    const a = createSrpService({ auth: ctx.services.auth, serverSecret: 'x'.repeat(40), store: redisSrpStore(one) });
    const b = createSrpService({ auth: ctx.services.auth, serverSecret: 'x'.repeat(40), store: redisSrpStore(two) });
    const init = await a.init(EMAIL);
    expect(await one.ttl(`tod:srp:${init.sessionId}`)).toBeGreaterThan(50);
    const p = await signInProof({
      email: EMAIL,
      password: PASSWORD,
      secretKey,
      init: { salt: init.salt.toString('hex'), B: init.B.toString('hex'), iterations: 650_000 },
    });
    const A = Buffer.from(hexToBytes(p.A));
    const M1 = Buffer.from(hexToBytes(p.M1));
    const ok = await b.verify(init.sessionId, A, M1, meta);
    expect(ok.M2.toString('hex')).toBe(p.expectedM2);
    await expect(a.verify(init.sessionId, A, M1, meta)).rejects.toMatchObject({ code: 'invalid_credentials' });
    // Nothing about SRP sessions went to PostgreSQL.
    const rows = await withSystem(ctx.pools.system, (db) => db.query('select count(*)::int n from srp_sessions'));
    expect(rows.rows[0].n).toBe(0);
  });

  it('a session expires with its Redis key', async () => {
    const store = redisSrpStore(one);
    const id = await withSystem(ctx.pools.system, (db) =>
      store.create(
        db,
        { user_id: null, email: 'e', b: Buffer.alloc(1), B: Buffer.alloc(1), salt: Buffer.alloc(16) },
        1,
      ),
    );
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await withSystem(ctx.pools.system, (db) => store.consume(db, id))).toBeUndefined();
  });
});

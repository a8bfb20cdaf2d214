import { Redis } from 'ioredis';
import { connect as natsConnect } from 'nats';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsCheck, postgresCheck, redisCheck } from '../../src/platform/readiness.js';
import { createHttpServer } from '../../src/runtime/http.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { type External, hasBinary, startNats, startRedis } from '../helpers/external.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ AUTH_RATE_LIMIT_PER_MINUTE: '5' });
});
afterAll(() => ctx?.close());

const log = pino({ level: 'silent' });
const pgCheck = () => postgresCheck(ctx.pools.app);

describe.skipIf(!hasBinary('redis-server'))('with a real Redis', () => {
  let redis: External;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('rate limits are shared by every api process using the same Redis', async () => {
    const clients = [new Redis(redis.url), new Redis(redis.url)];
    const apps = await Promise.all(
      clients.map((r) =>
        createHttpServer({ config: ctx.config, log, services: ctx.services, readiness: [pgCheck()], redis: r }),
      ),
    );
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await apps[i % 2]!.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'x@y.test', password: 'whatever-password' },
        remoteAddress: '10.1.2.3',
      });
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    for (const a of apps) await a.close();
    for (const c of clients) c.disconnect();
  });

  it('readiness reports Redis, and 503 names it when it goes away', async () => {
    const r = new Redis(redis.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    r.on('error', () => {});
    const app = await createHttpServer({
      config: ctx.config,
      log,
      services: ctx.services,
      readiness: [pgCheck(), redisCheck(r)],
    });
    expect((await app.inject({ url: '/health/ready' })).json().checks.redis.ok).toBe(true);
    await redis.stop();
    const down = await app.inject({ url: '/health/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json().detail).toBe('not ready: redis down');
    await app.close();
    r.disconnect();
  });
});

describe.skipIf(!hasBinary('nats-server'))('with a real NATS', () => {
  it('readiness reports NATS, and 503 names it when it goes away', async () => {
    const nats = await startNats();
    const nc = await natsConnect({ servers: nats.url, reconnect: false });
    const app = await createHttpServer({
      config: ctx.config,
      log,
      services: ctx.services,
      readiness: [pgCheck(), natsCheck(nc)],
    });
    expect((await app.inject({ url: '/health/ready' })).statusCode).toBe(200);
    await nats.stop();
    await nc.closed();
    const down = await app.inject({ url: '/health/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json().checks.nats.ok).toBe(false);
    await app.close();
  });
});

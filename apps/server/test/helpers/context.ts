import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { type Config, loadConfig } from '../../src/platform/config/config.js';
import { createPools, type Pools } from '../../src/platform/db/pools.js';
import { postgresCheck } from '../../src/platform/readiness.js';
import { createHttpServer } from '../../src/runtime/http.js';
import { createServices, type Services } from '../../src/runtime/services.js';
import { TEST_DB_PASSWORDS } from './constants.js';
import { createTestDatabase } from './database.js';

export type TestContext = {
  config: Config;
  pools: Pools;
  services: Services;
  app: FastifyInstance;
  ownerUrl: string;
  close: () => Promise<void>;
};

/**
 * The one way tests build TOD: a real database of their own, the real services and the real HTTP app
 * (driven with inject, so no port is needed). `env` overrides settings.
 */
export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const db = await createTestDatabase();
  const config = loadConfig({
    ENVIRONMENT: 'dev',
    DATABASE_URL: db.ownerUrl,
    DB_APP_PASSWORD: TEST_DB_PASSWORDS.app,
    DB_SYSTEM_PASSWORD: TEST_DB_PASSWORDS.system,
    JWT_SECRET_KEY: 'test-jwt-secret-that-is-long-enough-0123456789',
    CREDENTIAL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const log = pino({ level: config.LOG_LEVEL });
  const pools = createPools({
    ownerUrl: db.ownerUrl,
    appPassword: config.dbAppPassword,
    systemPassword: config.dbSystemPassword,
    appMax: 10,
    systemMax: 10,
    statementTimeoutMs: 10_000,
  });
  const services = createServices({
    config,
    log,
    appPool: pools.app,
    systemPool: pools.system,
    readPool: pools.read,
  });
  const app = await createHttpServer({
    config,
    log,
    services,
    readiness: [postgresCheck(pools.app)],
  });
  await app.ready();
  return {
    config,
    pools,
    services,
    app,
    ownerUrl: db.ownerUrl,
    close: async () => {
      await app.close();
      await services.close();
      await pools.end();
      await db.drop();
    },
  };
}

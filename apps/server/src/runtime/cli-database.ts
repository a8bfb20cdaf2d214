import type { Logger } from 'pino';
import type { Config } from '../platform/config/config.js';
import { migrate } from '../platform/db/migrate.js';
import { createPools, type Pools } from '../platform/db/pools.js';
import { openDatabase } from './start.js';

/**
 * The database for a one-shot CLI command (`tod create-admin`, `tod keys`): opened (embedded or DATABASE_URL),
 * migrated, with small pools, and closed again whatever `fn` does.
 */
export async function withCliDatabase<T>(config: Config, log: Logger, fn: (pools: Pools) => Promise<T>): Promise<T> {
  const db = await openDatabase(config, log);
  const pools = createPools({
    ownerUrl: db.ownerUrl,
    appPassword: config.dbAppPassword,
    systemPassword: config.dbSystemPassword,
    appMax: 1,
    systemMax: 2,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    statementCacheSize: config.DB_STATEMENT_CACHE_SIZE,
  });
  try {
    await migrate({
      ownerUrl: db.ownerUrl,
      appPassword: config.dbAppPassword,
      systemPassword: config.dbSystemPassword,
    });
    return await fn(pools);
  } finally {
    await pools.end();
    await db.embedded?.stop();
  }
}

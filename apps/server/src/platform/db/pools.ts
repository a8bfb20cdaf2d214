import pg from 'pg';
import { cacheStatements } from './statement-cache.js';
import { markReadPool } from './tx.js';

// int8 columns (uptime, memory and disk sizes, sequence numbers) come back as numbers: every int8 TOD stores fits in
// 2^53. Unsigned 64-bit interface counters are numeric(20) columns, which stay strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
export type Pools = {
  owner: pg.Pool;
  app: pg.Pool;
  /** Read-only connections of the `app` role for readInTenant (tx.ts): the hot read paths. */
  read: pg.Pool;
  system: pg.Pool;
  end: () => Promise<void>;
};

export function roleUrl(ownerUrl: string, role: 'app' | 'system', password: string): string {
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = encodeURIComponent(password);
  return u.toString();
}

export function createPools(opts: {
  ownerUrl: string;
  appPassword: string;
  systemPassword: string;
  appMax: number;
  /** Connections of the read pool (default: appMax). */
  readMax?: number;
  systemMax: number;
  statementTimeoutMs: number;
  /** Prepared statements per connection of the app, read and system pools (0: none); DB_STATEMENT_CACHE_SIZE. */
  statementCacheSize?: number;
  applicationName?: string;
}): Pools {
  const common = { statement_timeout: opts.statementTimeoutMs, application_name: opts.applicationName ?? 'tod' };
  const owner = new pg.Pool({ connectionString: opts.ownerUrl, max: 3, ...common });
  const statements = opts.statementCacheSize ?? 200;
  const app = cacheStatements(
    new pg.Pool({ connectionString: roleUrl(opts.ownerUrl, 'app', opts.appPassword), max: opts.appMax, ...common }),
    statements,
  );
  // Reads are short single statements: `tod start` gives this pool DB_POOL_SIZE connections, no overflow.
  const read = markReadPool(
    cacheStatements(
      new pg.Pool({
        connectionString: roleUrl(opts.ownerUrl, 'app', opts.appPassword),
        max: opts.readMax ?? opts.appMax,
        ...common,
        options: '-c default_transaction_read_only=on',
      }),
      statements,
    ),
  );
  const system = cacheStatements(
    new pg.Pool({
      connectionString: roleUrl(opts.ownerUrl, 'system', opts.systemPassword),
      max: opts.systemMax,
      ...common,
    }),
    statements,
  );
  // An idle client losing its server (PostgreSQL restart) must not crash the process; the pool replaces it.
  for (const p of [owner, app, read, system]) p.on('error', () => {});
  return {
    owner,
    app,
    read,
    system,
    end: async () => void (await Promise.all([owner.end(), app.end(), read.end(), system.end()])),
  };
}

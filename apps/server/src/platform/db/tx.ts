import type pg from 'pg';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Something to run queries on: a transaction's client, or a pool for single-statement reads. */
export type Db = Pick<pg.PoolClient, 'query'>;

async function inTransaction<T>(
  pool: pg.Pool,
  begin: (c: pg.PoolClient) => string,
  fn: (c: pg.PoolClient) => Promise<T>,
) {
  const client = await pool.connect();
  try {
    // BEGIN and any setup go in one round trip (a simple-protocol multi-statement query).
    await client.query(begin(client));
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Runs `fn` in a transaction as the `app` role with the tenant set first, so row-level security scopes every
 * statement to that tenant. `tenantId` null means "no tenant": tenant-owned tables then show no rows at all.
 */
export function withTenant<T>(
  appPool: pg.Pool,
  tenantId: string | null,
  fn: (c: pg.PoolClient) => Promise<T>,
): Promise<T> {
  if (tenantId !== null && !UUID.test(tenantId)) throw new Error('withTenant: tenant id must be a UUID');
  return inTransaction(
    appPool,
    (c) => `begin; select set_config('app.tenant_id', ${c.escapeLiteral(tenantId ?? '')}, true)`,
    fn,
  );
}

const readPools = new WeakSet<pg.Pool>();
/** Which tenant each read connection is set to (a session setting, kept between checkouts). */
const pinnedTenant = new WeakMap<pg.PoolClient, string>();

/** Marks `pool` as a read pool (pools.ts): read-only connections of the `app` role, for readInTenant. */
export function markReadPool(pool: pg.Pool): pg.Pool {
  readPools.add(pool);
  return pool;
}

/**
 * Reads as the `app` role in one tenant, without a transaction: for the hot read paths (lists, summaries,
 * series), where BEGIN, the tenant setting and COMMIT were three of four round trips. A read connection keeps its
 * tenant as a session setting and is set again only when the next reader's tenant differs; its connections are
 * read-only (default_transaction_read_only), so nothing can write through them. Each statement in `fn` sees its own
 * snapshot, so `fn` should read in one statement. On a pool that is not a read pool this is withTenant.
 */
export async function readInTenant<T>(pool: pg.Pool, tenantId: string | null, fn: (db: Db) => Promise<T>): Promise<T> {
  if (!readPools.has(pool)) return withTenant(pool, tenantId, fn);
  if (tenantId !== null && !UUID.test(tenantId)) throw new Error('readInTenant: tenant id must be a UUID');
  const want = tenantId ?? '';
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    if (pinnedTenant.get(client) !== want) {
      pinnedTenant.delete(client);
      await client.query("select set_config('app.tenant_id', $1, false)", [want]);
      pinnedTenant.set(client, want);
    }
    return await fn(client);
  } catch (err) {
    // A failed statement leaves a connection without a transaction as it was; anything else may not have.
    if (typeof (err as { code?: unknown }).code !== 'string') broken = err as Error;
    throw err;
  } finally {
    client.release(broken);
  }
}

/** A transaction on the `system` pool (BYPASSRLS): only for code that is cross-tenant by design. */
export function withSystem<T>(systemPool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(systemPool, () => 'begin', fn);
}

const RETRYABLE = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure

/**
 * Runs a whole transaction again when PostgreSQL aborted it for a deadlock (or a serialization failure), as its
 * documentation prescribes. Only for transactions that do nothing outside the database: the work is redone.
 */
export async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (i >= attempts || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 20 * i + Math.random() * 50));
    }
  }
}

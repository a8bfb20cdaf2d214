import type pg from 'pg';

export type Db = pg.PoolClient;

async function inTransaction<T>(pool: pg.Pool, setup: (c: pg.PoolClient) => Promise<void>, fn: (c: Db) => Promise<T>) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await setup(client);
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
export function withTenant<T>(appPool: pg.Pool, tenantId: string | null, fn: (c: Db) => Promise<T>): Promise<T> {
  return inTransaction(
    appPool,
    async (c) => void (await c.query("select set_config('app.tenant_id', $1, true)", [tenantId ?? ''])),
    fn,
  );
}

/** A transaction on the `system` pool (BYPASSRLS): only for code that is cross-tenant by design. */
export function withSystem<T>(systemPool: pg.Pool, fn: (c: Db) => Promise<T>): Promise<T> {
  return inTransaction(systemPool, async () => {}, fn);
}

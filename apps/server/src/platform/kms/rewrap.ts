import type pg from 'pg';
import type { KeyAccessLog } from './access-log.js';
import type { KeyUse } from './key-use.js';
import { type KeyProvider, KmsError, type Wrapped } from './provider.js';

// `tod keys rewrap`: every stored data key wrapped again by the current provider's newest key-encryption key. A key
// of another provider (`local` after switching to `transit`) is unwrapped by its own provider and wrapped by the
// current one; a Transit key is moved to the newest Transit key version by Transit's rewrap endpoint. The data key
// is unchanged, so nothing encrypted with it is touched. Each new wrap is checked to unwrap to the same key before
// it replaces the old one, and replaced only if the row still holds what was read (a concurrent rewrap wins once).

export type RewrapResult = { checked: number; rewrapped: number; unchanged: number };

type Row = { tenant_id: string; version: number; provider: string; key_ref: string; wrapped_key: Buffer };

export async function rewrapTenantKeys(
  deps: {
    systemPool: pg.Pool;
    current: KeyProvider;
    providerOf: (name: string, version: number) => KeyProvider;
    accessLog: KeyAccessLog;
  },
  opts: { tenantId?: string; use: KeyUse },
): Promise<RewrapResult> {
  const { current } = deps;
  const rows = await deps.systemPool.query<Row>(
    `select tenant_id, version, provider, key_ref, wrapped_key from tenant_keys
      where ($1::uuid is null or tenant_id = $1) order by tenant_id, version`,
    [opts.tenantId ?? null],
  );
  const result: RewrapResult = { checked: 0, rewrapped: 0, unchanged: 0 };
  for (const row of rows.rows) {
    result.checked++;
    const own = deps.providerOf(row.provider, row.version);
    let next: Wrapped | undefined;
    let dataKey: Buffer | undefined;
    if (own.name === current.name) {
      next = current.rewrap ? await current.rewrap(row.tenant_id, row.wrapped_key, row.key_ref) : undefined;
    } else {
      dataKey = await own.unwrap(row.tenant_id, row.wrapped_key, row.key_ref);
      next = await current.wrap(row.tenant_id, dataKey);
    }
    if (!next) {
      result.unchanged++;
      continue;
    }
    dataKey ??= await own.unwrap(row.tenant_id, row.wrapped_key, row.key_ref);
    const check = await current.unwrap(row.tenant_id, next.wrapped, next.keyRef);
    if (!check.equals(dataKey))
      throw new KmsError(
        'provider_failed',
        `rewrapped data key version ${row.version} does not unwrap to the same key`,
      );
    const updated = await deps.systemPool.query(
      `update tenant_keys set provider = $3, key_ref = $4, wrapped_key = $5
        where tenant_id = $1 and version = $2 and wrapped_key = $6`,
      [row.tenant_id, row.version, current.name, next.keyRef, next.wrapped, row.wrapped_key],
    );
    if (updated.rowCount === 1) {
      result.rewrapped++;
      deps.accessLog.record({
        tenantId: row.tenant_id,
        op: 'rewrap',
        use: opts.use,
        provider: current.name,
        keyVersion: row.version,
        object: 'tenant_key',
      });
    } else result.unchanged++;
  }
  return result;
}

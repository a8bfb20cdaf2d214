import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withSystem } from '../db/tx.js';
import type { KeyAccessLog } from './access-log.js';
import { open, seal } from './aead.js';
import { type CachedKey, createKeyCache } from './key-cache.js';
import type { KeyUse } from './key-use.js';
import { type KeyProvider, KmsError, type Wrapped } from './provider.js';
import { type RewrapResult, rewrapTenantKeys } from './rewrap.js';

// Ciphertext layout: magic 'T1' | key version (uint32 BE) | AES-GCM sealed box. The AAD binds it to the tenant
// and to the caller's context (e.g. "device:<id>:password"), so a ciphertext copied to another row or tenant fails.
const MAGIC = Buffer.from('T1');

export type EnvelopeDeps = {
  systemPool: pg.Pool;
  /** Makes and wraps new data keys (`local`, or `transit` when OpenBao is configured). */
  provider: KeyProvider;
  /**
   * Every provider a stored key may name. Each `tenant_keys` row is unwrapped by the provider it names, so keys
   * wrapped by `local` stay readable after switching to `transit` (and `tod keys rewrap` moves them).
   */
  providers?: readonly KeyProvider[];
  /** Where every use of a data key is recorded (the transparency log). */
  accessLog: KeyAccessLog;
  /** Unwrapped keys kept in memory: entries and lifetime (KMS_KEY_CACHE_SIZE, KMS_KEY_CACHE_TTL_SECONDS). */
  cache?: { maxEntries: number; ttlMs: number };
};

type KeyRow = { version: number; provider: string; key_ref: string; wrapped_key: Buffer };

/**
 * Envelope encryption with a data key per tenant. Keys are read with the system pool (pollers decrypt across
 * tenants) and cached unwrapped in memory (by default five minutes, at most 1,024 keys). Every encrypt and decrypt
 * names who uses the key and why (`KeyUse`), and is recorded in the key-access log with each unwrap by the provider.
 */
export function createEnvelope(deps: EnvelopeDeps) {
  const current = deps.provider;
  const providers = new Map([...(deps.providers ?? []), current].map((p) => [p.name, p]));
  const cache = createKeyCache(deps.cache ?? { maxEntries: 1024, ttlMs: 5 * 60_000 });
  const log = deps.accessLog;

  function providerOf(name: string, version: number): KeyProvider {
    const p = providers.get(name);
    if (!p)
      throw new KmsError(
        'provider_unavailable',
        `data key version ${version} is wrapped by the ${name} key provider, which is not configured here`,
      );
    return p;
  }

  async function load(tenantId: string, version?: number): Promise<CachedKey | undefined> {
    const r = await deps.systemPool.query<KeyRow>(
      `select version, provider, key_ref, wrapped_key from tenant_keys
        where tenant_id = $1 and ($2::int is null or version = $2) order by version desc limit 1`,
      [tenantId, version ?? null],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    const key = await providerOf(row.provider, row.version).unwrap(tenantId, row.wrapped_key, row.key_ref);
    return { key, version: row.version, provider: row.provider };
  }

  /** A fresh data key from the current provider: made by it where it can (Transit's datakey), else drawn here. */
  async function freshKey(tenantId: string): Promise<Wrapped & { dataKey: Buffer }> {
    if (current.generate) return current.generate(tenantId);
    const dataKey = randomBytes(32);
    return { dataKey, ...(await current.wrap(tenantId, dataKey)) };
  }

  /** The first data key of a tenant. Two processes racing both end with the one that was stored first. */
  async function createFirst(tenantId: string, use: KeyUse, object: string): Promise<CachedKey> {
    const fresh = await freshKey(tenantId);
    const stored = await withSystem(deps.systemPool, (db) =>
      db.query(
        `insert into tenant_keys (tenant_id, version, provider, key_ref, wrapped_key)
         values ($1, 1, $2, $3, $4) on conflict do nothing`,
        [tenantId, current.name, fresh.keyRef, fresh.wrapped],
      ),
    );
    if (stored.rowCount === 1) {
      log.record({ tenantId, op: 'generate', use, provider: current.name, keyVersion: 1, object: 'tenant_key' });
      return { key: fresh.dataKey, version: 1, provider: current.name };
    }
    const k = await load(tenantId);
    if (!k) throw new KmsError('provider_failed', 'tenant key could not be stored');
    unwrapped(tenantId, k, use, object);
    return k;
  }

  /** The newest data key of a tenant, made on first use. */
  async function currentKey(tenantId: string, use: KeyUse, object: string): Promise<CachedKey> {
    let made = false;
    const { key, loaded } = await cache.through(`${tenantId}:current`, async () => {
      const k = await load(tenantId);
      if (k) return k;
      made = true;
      return createFirst(tenantId, use, object);
    });
    if (loaded) {
      cache.put(`${tenantId}:${key.version}`, key);
      if (!made) unwrapped(tenantId, key, use, object);
    }
    return key;
  }

  async function keyVersion(tenantId: string, version: number, use: KeyUse, object: string): Promise<CachedKey> {
    const { key, loaded } = await cache.through(`${tenantId}:${version}`, async () => {
      const k = await load(tenantId, version);
      if (!k) throw new KmsError('unknown_key_version', `tenant has no key version ${version}`);
      return k;
    });
    if (loaded) unwrapped(tenantId, key, use, object);
    return key;
  }

  const unwrapped = (tenantId: string, k: CachedKey, use: KeyUse, object: string) =>
    log.record({ tenantId, op: 'unwrap', use, provider: k.provider, keyVersion: k.version, object });

  const aadFor = (tenantId: string, context: string) => Buffer.from(`${tenantId}\u0000${context}`);

  return {
    /** Seals `plaintext` for `context` with the tenant's newest key; `use` says who and why (key-access log). */
    async encrypt(tenantId: string, plaintext: Buffer | string, context: string, use: KeyUse): Promise<Buffer> {
      const k = await currentKey(tenantId, use, context);
      log.record({ tenantId, op: 'encrypt', use, provider: k.provider, keyVersion: k.version, object: context });
      const header = Buffer.alloc(6);
      MAGIC.copy(header, 0);
      header.writeUInt32BE(k.version, 2);
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      return Buffer.concat([header, seal(k.key, data, Buffer.concat([header, aadFor(tenantId, context)]))]);
    },

    /** Opens a ciphertext of `context`; `use` says who and why (key-access log, recorded even if it fails). */
    async decrypt(tenantId: string, ciphertext: Buffer, context: string, use: KeyUse): Promise<Buffer> {
      if (ciphertext.length < 6 + 28 || !ciphertext.subarray(0, 2).equals(MAGIC))
        throw new KmsError('bad_ciphertext', 'not a TOD ciphertext');
      const header = ciphertext.subarray(0, 6);
      const k = await keyVersion(tenantId, header.readUInt32BE(2), use, context);
      log.record({ tenantId, op: 'decrypt', use, provider: k.provider, keyVersion: k.version, object: context });
      try {
        return open(k.key, ciphertext.subarray(6), Buffer.concat([header, aadFor(tenantId, context)]));
      } catch {
        throw new KmsError('decrypt_failed', 'ciphertext does not decrypt for this tenant and context');
      }
    },

    /**
     * Adds a new data key version; new ciphertexts use it, old ones still decrypt. With a provider that versions its
     * own key (Transit) that key is rotated first, so the new data key is wrapped by its newest version.
     */
    async rotate(tenantId: string, use: KeyUse): Promise<number> {
      if (current.rotate) await current.rotate(tenantId);
      const fresh = await freshKey(tenantId);
      const version = await withSystem(deps.systemPool, async (db) => {
        await db.query('select pg_advisory_xact_lock(7243004, hashtext($1))', [tenantId]);
        const r = await db.query<{ v: number }>(
          `insert into tenant_keys (tenant_id, version, provider, key_ref, wrapped_key)
           select $1, coalesce(max(version), 0) + 1, $2, $3, $4 from tenant_keys where tenant_id = $1
           returning version as v`,
          [tenantId, current.name, fresh.keyRef, fresh.wrapped],
        );
        return r.rows[0]!.v;
      });
      const k = { key: fresh.dataKey, version, provider: current.name };
      cache.put(`${tenantId}:current`, k);
      cache.put(`${tenantId}:${version}`, k);
      log.record({ tenantId, op: 'rotate', use, provider: current.name, keyVersion: version, object: 'tenant_key' });
      return version;
    },

    /**
     * Re-wraps stored data keys (one tenant's, or every tenant's) with the current provider's newest key: keys of
     * another provider move to it, Transit keys move to the newest Transit key version. Data is not re-encrypted.
     */
    rewrap(opts: { tenantId?: string; use: KeyUse }): Promise<RewrapResult> {
      return rewrapTenantKeys({ systemPool: deps.systemPool, current, providerOf, accessLog: log }, opts);
    },

    /** The provider new keys are made with. */
    provider: current.name,
  };
}
export type Envelope = ReturnType<typeof createEnvelope>;

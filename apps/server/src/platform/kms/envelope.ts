import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withSystem } from '../db/tx.js';
import { open, seal } from './aead.js';
import { type KeyProvider, KmsError } from './provider.js';

// Ciphertext layout: magic 'T1' | key version (uint32 BE) | AES-GCM sealed box. The AAD binds it to the tenant
// and to the caller's context (e.g. "device:<id>:password"), so a ciphertext copied to another row or tenant fails.
const MAGIC = Buffer.from('T1');
const CACHE_TTL_MS = 5 * 60_000;
const CACHE_MAX = 1024;

type CachedKey = { key: Buffer; version: number; until: number };

/**
 * Envelope encryption with a data key per tenant. Keys are read with the system pool (pollers decrypt across
 * tenants) and cached unwrapped in memory for five minutes (at most 1,024 tenants).
 */
export function createEnvelope(deps: { systemPool: pg.Pool; provider: KeyProvider }) {
  const cache = new Map<string, CachedKey>();

  const remember = (id: string, k: Omit<CachedKey, 'until'>) => {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(id, { ...k, until: Date.now() + CACHE_TTL_MS });
    return k.key;
  };

  async function load(tenantId: string, version?: number): Promise<{ key: Buffer; version: number } | undefined> {
    const r = await deps.systemPool.query<{ version: number; provider: string; key_ref: string; wrapped_key: Buffer }>(
      `select version, provider, key_ref, wrapped_key from tenant_keys
        where tenant_id = $1 and ($2::int is null or version = $2) order by version desc limit 1`,
      [tenantId, version ?? null],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    return { key: await deps.provider.unwrap(tenantId, row.wrapped_key, row.key_ref), version: row.version };
  }

  /** The newest data key of a tenant, made on first use. Two processes racing both end with the same key. */
  async function currentKey(tenantId: string): Promise<{ key: Buffer; version: number }> {
    const hit = cache.get(`${tenantId}:current`);
    if (hit && hit.until > Date.now()) return hit;
    let k = await load(tenantId);
    if (!k) {
      const fresh = randomBytes(32);
      const { wrapped, keyRef } = await deps.provider.wrap(tenantId, fresh);
      await withSystem(deps.systemPool, (db) =>
        db.query(
          `insert into tenant_keys (tenant_id, version, provider, key_ref, wrapped_key)
           values ($1, 1, $2, $3, $4) on conflict do nothing`,
          [tenantId, deps.provider.name, keyRef, wrapped],
        ),
      );
      k = await load(tenantId);
      if (!k) throw new KmsError('provider_failed', 'tenant key could not be stored');
    }
    remember(`${tenantId}:current`, k);
    remember(`${tenantId}:${k.version}`, k);
    return k;
  }

  async function keyVersion(tenantId: string, version: number): Promise<Buffer> {
    const hit = cache.get(`${tenantId}:${version}`);
    if (hit && hit.until > Date.now()) return hit.key;
    const k = await load(tenantId, version);
    if (!k) throw new KmsError('unknown_key_version', `tenant has no key version ${version}`);
    return remember(`${tenantId}:${version}`, k);
  }

  const aadFor = (tenantId: string, context: string) => Buffer.from(`${tenantId}\u0000${context}`);

  return {
    async encrypt(tenantId: string, plaintext: Buffer | string, context: string): Promise<Buffer> {
      const { key, version } = await currentKey(tenantId);
      const header = Buffer.alloc(6);
      MAGIC.copy(header, 0);
      header.writeUInt32BE(version, 2);
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      return Buffer.concat([header, seal(key, data, Buffer.concat([header, aadFor(tenantId, context)]))]);
    },

    async decrypt(tenantId: string, ciphertext: Buffer, context: string): Promise<Buffer> {
      if (ciphertext.length < 6 + 28 || !ciphertext.subarray(0, 2).equals(MAGIC))
        throw new KmsError('bad_ciphertext', 'not a TOD ciphertext');
      const header = ciphertext.subarray(0, 6);
      const key = await keyVersion(tenantId, header.readUInt32BE(2));
      try {
        return open(key, ciphertext.subarray(6), Buffer.concat([header, aadFor(tenantId, context)]));
      } catch {
        throw new KmsError('decrypt_failed', 'ciphertext does not decrypt for this tenant and context');
      }
    },

    /** Adds a new data key version; new ciphertexts use it, old ones still decrypt. */
    async rotate(tenantId: string): Promise<number> {
      const fresh = randomBytes(32);
      const { wrapped, keyRef } = await deps.provider.wrap(tenantId, fresh);
      const version = await withSystem(deps.systemPool, async (db) => {
        await db.query('select pg_advisory_xact_lock(7243004, hashtext($1))', [tenantId]);
        const r = await db.query<{ v: number }>(
          `insert into tenant_keys (tenant_id, version, provider, key_ref, wrapped_key)
           select $1, coalesce(max(version), 0) + 1, $2, $3, $4 from tenant_keys where tenant_id = $1
           returning version as v`,
          [tenantId, deps.provider.name, keyRef, wrapped],
        );
        return r.rows[0]!.v;
      });
      cache.delete(`${tenantId}:current`);
      return version;
    },
  };
}
export type Envelope = ReturnType<typeof createEnvelope>;

import type { Db } from '../../platform/db/tx.js';

export type ApiKeyRow = {
  id: string;
  tenant_id: string;
  name: string;
  key_prefix: string;
  role: string;
  created_by: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
};
const cols = 'id, tenant_id, name, key_prefix, role, created_by, created_at, expires_at, revoked_at, last_used_at';

export const apiKeysRepo = {
  async list(db: Db, f: { limit: number; offset: number; includeRevoked: boolean }) {
    const r = await db.query<ApiKeyRow & { total: string }>(
      `select ${cols}, count(*) over () as total from api_keys where ($3 or revoked_at is null)
        order by created_at desc limit $1 offset $2`,
      [f.limit, f.offset, f.includeRevoked],
    );
    return { rows: r.rows, total: Number(r.rows[0]?.total ?? 0) };
  },
  async insert(
    db: Db,
    k: { tenantId: string; name: string; prefix: string; hash: Buffer; createdBy: string | null; expiresAt?: Date },
  ) {
    const r = await db.query<ApiKeyRow>(
      `insert into api_keys (tenant_id, name, key_prefix, key_hash, created_by, expires_at)
       values ($1, $2, $3, $4, $5, $6) returning ${cols}`,
      [k.tenantId, k.name, k.prefix, k.hash, k.createdBy, k.expiresAt ?? null],
    );
    return r.rows[0]!;
  },
  async revoke(db: Db, id: string) {
    const r = await db.query<ApiKeyRow>(
      `update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 returning ${cols}`,
      [id],
    );
    return r.rows[0];
  },
  /** System pool: a key finds its tenant (one indexed read on every API-key request). */
  async findActiveByHash(db: Db, hash: Buffer) {
    const r = await db.query<{ id: string; tenant_id: string; name: string; stale: boolean }>(
      `select id, tenant_id, name, (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
         from api_keys where key_hash = $1 and revoked_at is null and (expires_at is null or expires_at > now())`,
      [hash],
    );
    return r.rows[0];
  },
  /** System pool: whether a key that authenticated earlier is still neither revoked nor expired. */
  async isActive(db: Db, id: string): Promise<boolean> {
    const r = await db.query(
      'select 1 from api_keys where id = $1 and revoked_at is null and (expires_at is null or expires_at > now())',
      [id],
    );
    return r.rowCount === 1;
  },
  /** Last use is stamped at most once a minute per key, so a busy key costs no write per request. */
  async touch(db: Db, id: string) {
    await db.query(
      `update api_keys set last_used_at = now()
        where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
      [id],
    );
  },
};

import type { Db } from '../../platform/db/tx.js';
import type { StoredCredentials } from '../devices/credentials.js';

// The `credential_profiles` table. A profile's password is stored encrypted (the service encrypts it with the row
// id as context, so the id is chosen first).

export type ProfileRow = {
  id: string;
  name: string;
  username: string;
  device_count: number;
  created_at: Date;
  updated_at: Date;
};
const selectCols = `id, name, username, created_at, updated_at,
  (select count(*) from devices d where d.credential_profile_id = credential_profiles.id)::int as device_count`;
const select = `select ${selectCols} from credential_profiles`;

export const credentialProfilesRepo = {
  async list(db: Db, q: { limit: number; offset: number }) {
    const r = await db.query<ProfileRow & { total: string }>(
      `select ${selectCols}, count(*) over () as total from credential_profiles order by lower(name) limit $1 offset $2`,
      [q.limit, q.offset],
    );
    return { rows: r.rows, total: Number(r.rows[0]?.total ?? 0) };
  },

  async get(db: Db, id: string) {
    return (await db.query<ProfileRow>(`${select} where id = $1`, [id])).rows[0];
  },

  /** A fresh id for a profile about to be inserted (its password's encryption context). */
  async newId(db: Db) {
    return (await db.query<{ id: string }>('select gen_random_uuid() as id')).rows[0]!.id;
  },

  async insert(db: Db, p: { id: string; tenantId: string; name: string; username: string; passwordEnc: Buffer }) {
    await db.query(
      'insert into credential_profiles (id, tenant_id, name, username, password_enc) values ($1, $2, $3, $4, $5)',
      [p.id, p.tenantId, p.name, p.username, p.passwordEnc],
    );
  },

  /** Unset fields keep their value. False when there is no such profile. */
  async update(
    db: Db,
    id: string,
    p: { name?: string; username?: string; passwordEnc: Buffer | null },
  ): Promise<boolean> {
    const r = await db.query(
      `update credential_profiles set name = coalesce($2, name), username = coalesce($3, username),
                    password_enc = coalesce($4, password_enc) where id = $1`,
      [id, p.name ?? null, p.username ?? null, p.passwordEnc],
    );
    return (r.rowCount ?? 0) > 0;
  },

  /** A profile's encrypted credentials, for device access to decrypt (probing with a profile before saving). */
  async storedCredentials(db: Db, tenantId: string, id: string) {
    const r = await db.query<StoredCredentials>(
      `select $2::uuid as tenant_id, null::uuid as device_id, null as username, null::bytea as password_enc,
              p.id as profile_id, p.username as profile_username, p.password_enc as profile_password_enc
         from credential_profiles p where p.id = $1`,
      [id, tenantId],
    );
    return r.rows[0];
  },

  /** Lower-cased name → id of the tenant's profiles (a CSV import names them). */
  async idsByName(db: Db) {
    const r = await db.query<{ id: string; name: string }>('select id, name from credential_profiles');
    return new Map(r.rows.map((p) => [p.name.toLowerCase(), p.id]));
  },

  /** The deleted profile's name, or undefined when there was none. Fails with 23503 while devices use it. */
  async delete(db: Db, id: string) {
    const r = await db.query<{ name: string }>('delete from credential_profiles where id = $1 returning name', [id]);
    return r.rows[0]?.name;
  },
};

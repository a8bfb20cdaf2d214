import type { Db } from '../../platform/db/tx.js';

export type UserRow = {
  id: string;
  tenant_id: string | null;
  email: string;
  name: string;
  role: string;
  is_active: boolean;
  must_upgrade_auth: boolean;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
};
const cols = 'id, tenant_id, email, name, role, is_active, must_upgrade_auth, last_login_at, created_at, updated_at';

// Runs under RLS: every statement sees the current tenant's users only.
export const usersRepo = {
  async list(db: Db, f: { limit: number; offset: number; search?: string; role?: string }) {
    const r = await db.query<UserRow & { total: string }>(
      `select ${cols}, count(*) over () as total from users
        where ($3::text is null or email ilike '%' || $3 || '%' or name ilike '%' || $3 || '%')
          and ($4::text is null or role = $4)
        order by lower(email) limit $1 offset $2`,
      [f.limit, f.offset, f.search?.replace(/[%_\\]/g, '\\$&') ?? null, f.role ?? null],
    );
    return { rows: r.rows, total: Number(r.rows[0]?.total ?? 0) };
  },
  async get(db: Db, id: string) {
    return (await db.query<UserRow>(`select ${cols} from users where id = $1`, [id])).rows[0];
  },
  async insert(db: Db, u: { tenantId: string; email: string; name: string; role: string; passwordHash: string }) {
    const r = await db.query<UserRow>(
      `insert into users (tenant_id, email, name, role, password_hash) values ($1, $2, $3, $4, $5) returning ${cols}`,
      [u.tenantId, u.email, u.name, u.role, u.passwordHash],
    );
    return r.rows[0]!;
  },
  async update(db: Db, id: string, u: { name?: string; role?: string; isActive?: boolean; passwordHash?: string }) {
    const r = await db.query<UserRow>(
      `update users set name = coalesce($2, name), role = coalesce($3, role), is_active = coalesce($4, is_active),
              password_hash = coalesce($5, password_hash),
              -- An admin reset (a new temporary password) also ends the old password + Secret Key: the user enrols again.
              srp_salt = case when $5::text is null then srp_salt end,
              srp_verifier = case when $5::text is null then srp_verifier end
        where id = $1 returning ${cols}`,
      [id, u.name ?? null, u.role ?? null, u.isActive ?? null, u.passwordHash ?? null],
    );
    return r.rows[0];
  },
  async delete(db: Db, id: string) {
    return ((await db.query('delete from users where id = $1', [id])).rowCount ?? 0) > 0;
  },
};

import type { Db } from '../../platform/db/tx.js';

// System pool only: a reset link is used before anyone is signed in.

export type ResetUser = { id: string; tenant_id: string | null; email: string; name: string; is_active: boolean };

export const passwordResetRepo = {
  /** One live link per user: a new request spends the older ones. */
  async create(db: Db, userId: string, tokenHash: Buffer, minutes: number) {
    await db.query('update password_reset_tokens set used_at = now() where user_id = $1 and used_at is null', [userId]);
    await db.query(`delete from password_reset_tokens where expires_at < now() - interval '1 day'`);
    await db.query(
      `insert into password_reset_tokens (token_hash, user_id, expires_at)
       values ($1, $2, now() + make_interval(mins => $3))`,
      [tokenHash, userId, minutes],
    );
  },

  /** Spends a link and returns its user, in one statement: a second use finds nothing. */
  async consume(db: Db, tokenHash: Buffer): Promise<ResetUser | undefined> {
    const r = await db.query<ResetUser>(
      `with spent as (
         update password_reset_tokens set used_at = now()
          where token_hash = $1 and used_at is null and expires_at > now()
          returning user_id)
       select u.id, u.tenant_id, u.email, u.name, u.is_active from users u join spent on spent.user_id = u.id`,
      [tokenHash],
    );
    return r.rows[0];
  },
};

import type { Db } from '../../platform/db/tx.js';

// Runs on the system pool only: an email finds its account before anyone is signed in.

export type SrpUser = {
  id: string;
  tenant_id: string | null;
  email: string;
  is_active: boolean;
  srp_salt: Buffer | null;
  srp_verifier: Buffer | null;
};

export type SrpSessionRow = {
  user_id: string | null;
  email: string;
  b: Buffer;
  B: Buffer;
  salt: Buffer;
};

export const srpRepo = {
  async findUserByEmail(db: Db, email: string): Promise<SrpUser | undefined> {
    const r = await db.query<SrpUser>(
      'select id, tenant_id, email, is_active, srp_salt, srp_verifier from users where lower(email) = lower($1)',
      [email],
    );
    return r.rows[0];
  },

  async findUser(db: Db, id: string): Promise<SrpUser | undefined> {
    const r = await db.query<SrpUser>(
      'select id, tenant_id, email, is_active, srp_salt, srp_verifier from users where id = $1',
      [id],
    );
    return r.rows[0];
  },

  async createSession(
    db: Db,
    s: { userId: string | null; email: string; b: Buffer; B: Buffer; salt: Buffer; ttlSeconds: number },
  ): Promise<string> {
    // Expired rows are swept here so the table stays the size of one minute of sign-ins.
    await db.query(`delete from srp_sessions where expires_at < now() - interval '5 minutes'`);
    const r = await db.query<{ id: string }>(
      `insert into srp_sessions (user_id, email, b, "B", salt, expires_at)
       values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) returning id`,
      [s.userId, s.email, s.b, s.B, s.salt, s.ttlSeconds],
    );
    return r.rows[0]!.id;
  },

  /** Marks the session used and returns it, in one statement: a second call with the same id finds nothing. */
  async consumeSession(db: Db, id: string): Promise<SrpSessionRow | undefined> {
    const r = await db.query<SrpSessionRow>(
      `update srp_sessions set used_at = now()
        where id = $1 and used_at is null and expires_at > now()
        returning user_id, email, b, "B", salt`,
      [id],
    );
    return r.rows[0];
  },

  async storeVerifier(db: Db, userId: string, salt: Buffer, verifier: Buffer) {
    // The temporary password (if any) goes: from now on nothing derived from a password but v is kept.
    await db.query(
      `update users set srp_salt = $2, srp_verifier = $3, password_hash = null
        where id = $1`,
      [userId, salt, verifier],
    );
  },
};

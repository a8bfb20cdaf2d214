import type { SessionScope } from '../../platform/auth/principal.js';
import type { Role } from '../../platform/auth/roles.js';
import type { Db } from '../../platform/db/tx.js';

// Sign-in is cross-tenant by design (an email finds its tenant), so this repo runs on the system pool only.

export type AuthUser = {
  id: string;
  tenant_id: string | null;
  email: string;
  name: string;
  role: Role;
  password_hash: string | null;
  is_active: boolean;
  /** True exactly while the account has no SRP verifier (a generated column). */
  must_upgrade_auth: boolean;
};

export type UserSession = {
  id: string;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  ip: string | null;
  user_agent: string | null;
  scope: SessionScope;
  live_refresh_tokens: number;
};

export type SessionUser = AuthUser & { session_revoked: boolean; session_expires_at: Date; scope: SessionScope };

export const authRepo = {
  async findUserByEmail(db: Db, email: string): Promise<AuthUser | undefined> {
    const r = await db.query<AuthUser>(
      `select id, tenant_id, email, name, role, password_hash, is_active, must_upgrade_auth
         from users where lower(email) = lower($1)`,
      [email],
    );
    return r.rows[0];
  },

  async countUsers(db: Db): Promise<number> {
    const r = await db.query<{ n: string }>('select count(*) as n from users');
    return Number(r.rows[0]?.n ?? 0);
  },

  async markLogin(db: Db, userId: string) {
    await db.query('update users set last_login_at = now() where id = $1', [userId]);
  },

  async createSession(
    db: Db,
    s: {
      userId: string;
      tenantId: string | null;
      expiresAt: Date;
      ip: string | null;
      userAgent: string | null;
      scope: SessionScope;
    },
  ): Promise<string> {
    const r = await db.query<{ id: string }>(
      `insert into auth_sessions (user_id, tenant_id, expires_at, ip, user_agent, scope)
       values ($1, $2, $3, $4, $5, $6) returning id`,
      [s.userId, s.tenantId, s.expiresAt, s.ip, s.userAgent?.slice(0, 500) ?? null, s.scope],
    );
    return r.rows[0]!.id;
  },

  async insertRefreshToken(db: Db, t: { hash: Buffer; sessionId: string; tenantId: string | null; expiresAt: Date }) {
    await db.query(
      'insert into auth_refresh_tokens (token_hash, session_id, tenant_id, expires_at) values ($1, $2, $3, $4)',
      [t.hash, t.sessionId, t.tenantId, t.expiresAt],
    );
  },

  /** Locks the token row so two concurrent refreshes with the same token cannot both succeed. */
  async lockRefreshToken(db: Db, hash: Buffer) {
    const r = await db.query<{
      session_id: string;
      expires_at: Date;
      used_at: Date | null;
      revoked_at: Date | null;
      user_id: string;
      tenant_id: string | null;
      session_expires_at: Date;
    }>(
      `select t.session_id, t.expires_at, t.used_at, s.revoked_at, s.user_id, s.tenant_id,
              s.expires_at as session_expires_at
         from auth_refresh_tokens t join auth_sessions s on s.id = t.session_id
        where t.token_hash = $1 for update of t, s`,
      [hash],
    );
    return r.rows[0];
  },

  async markRefreshUsed(db: Db, hash: Buffer) {
    await db.query('update auth_refresh_tokens set used_at = now() where token_hash = $1', [hash]);
  },

  async touchSession(db: Db, sessionId: string) {
    await db.query('update auth_sessions set last_used_at = now() where id = $1', [sessionId]);
  },

  async revokeSession(db: Db, sessionId: string, reason: string) {
    await db.query(
      'update auth_sessions set revoked_at = now(), revoked_reason = $2 where id = $1 and revoked_at is null',
      [sessionId, reason],
    );
  },

  async revokeUserSessions(db: Db, userId: string, reason: string, exceptSessionId?: string) {
    await db.query(
      `update auth_sessions set revoked_at = now(), revoked_reason = $2
        where user_id = $1 and revoked_at is null and ($3::uuid is null or id <> $3)`,
      [userId, reason, exceptSessionId ?? null],
    );
  },

  async findSessionUser(db: Db, sessionId: string, userId: string): Promise<SessionUser | undefined> {
    const r = await db.query<SessionUser>(
      `select u.id, u.tenant_id, u.email, u.name, u.role, null as password_hash, u.is_active, u.must_upgrade_auth,
              s.scope,
              s.revoked_at is not null as session_revoked, s.expires_at as session_expires_at
         from auth_sessions s join users u on u.id = s.user_id
        where s.id = $1 and u.id = $2`,
      [sessionId, userId],
    );
    return r.rows[0];
  },

  /** An enrol-only session becomes a full one once its user has registered a verifier. */
  async setSessionScope(db: Db, sessionId: string, scope: SessionScope) {
    await db.query('update auth_sessions set scope = $2 where id = $1', [sessionId, scope]);
  },

  /** Every session of a user (newest first) with its unspent refresh tokens: their data export and deletion receipt. */
  async sessionsOf(db: Db, userId: string): Promise<UserSession[]> {
    const r = await db.query<UserSession>(
      `select s.id, s.created_at, s.last_used_at, s.expires_at, s.revoked_at, s.revoked_reason, host(s.ip) as ip,
              s.user_agent, s.scope,
              (select count(*)::int from auth_refresh_tokens t
                where t.session_id = s.id and t.used_at is null and t.expires_at > now()) as live_refresh_tokens
         from auth_sessions s where s.user_id = $1 order by s.created_at desc`,
      [userId],
    );
    return r.rows;
  },

  async deleteExpired(db: Db): Promise<number> {
    const r = await db.query(
      `delete from auth_sessions where expires_at < now() - interval '1 day'
          or (revoked_at is not null and revoked_at < now() - interval '1 day')`,
    );
    return r.rowCount ?? 0;
  },
};

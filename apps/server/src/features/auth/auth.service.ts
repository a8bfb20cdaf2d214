import type pg from 'pg';
import type { Logger } from 'pino';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.js';
import type { Principal, SessionScope } from '../../platform/auth/principal.js';
import { withSystem } from '../../platform/db/tx.js';
import { AppError } from '../../platform/http/errors.js';
import { recordRawAudit } from '../audit/audit.service.js';
import { authRepo, type SessionUser } from './auth.repo.js';
import { randomToken, sha256, type TokenSigner } from './tokens.js';

// An enrol-only session has one job; it should not outlive the afternoon it was made in.
const ENROL_SESSION_MS = 2 * 3_600_000;

export type ClientMeta = { ip: string | null; userAgent: string | null; requestId: string | null };
export type IssuedTokens = {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: Date;
  sessionId: string;
};

const sessionLive = (u: SessionUser | undefined): u is SessionUser =>
  u !== undefined && !u.session_revoked && u.session_expires_at.getTime() > Date.now();

export function createAuthService(deps: {
  systemPool: pg.Pool;
  signer: TokenSigner;
  refreshDays: number;
  log: Logger;
}) {
  const { systemPool, signer } = deps;
  const refreshMs = deps.refreshDays * 86_400_000;

  async function issue(db: pg.PoolClient, userId: string, tenantId: string | null, sessionId: string) {
    const refreshToken = randomToken();
    const refreshExpiresAt = new Date(Date.now() + refreshMs);
    await authRepo.insertRefreshToken(db, {
      hash: sha256(refreshToken),
      sessionId,
      tenantId,
      expiresAt: refreshExpiresAt,
    });
    const accessToken = await signer.sign({ sub: userId, sid: sessionId });
    return { accessToken, expiresIn: signer.accessTtlSeconds, refreshToken, refreshExpiresAt, sessionId };
  }

  const audit = (db: pg.PoolClient, meta: ClientMeta, e: Parameters<typeof recordRawAudit>[1]) =>
    recordRawAudit(db, { ...e, ip: meta.ip, requestId: meta.requestId });

  /** A new signed-in session for a user whose credentials were just checked: session row, audit, tokens. */
  async function startSession(
    db: pg.PoolClient,
    user: { id: string; tenant_id: string | null; email: string },
    meta: ClientMeta,
    action: string,
    scope: SessionScope = 'full',
  ): Promise<IssuedTokens> {
    const expiresAt = new Date(Date.now() + (scope === 'enrol' ? ENROL_SESSION_MS : refreshMs));
    const sessionId = await authRepo.createSession(db, {
      userId: user.id,
      tenantId: user.tenant_id,
      expiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent,
      scope,
    });
    await authRepo.markLogin(db, user.id);
    await audit(db, meta, {
      tenantId: user.tenant_id,
      actorType: 'user',
      actorId: user.id,
      actorLabel: user.email,
      action,
      targetType: 'session',
      targetId: sessionId,
      ...(scope === 'enrol' ? { details: { scope } } : {}),
    });
    return issue(db, user.id, user.tenant_id, sessionId);
  }

  return {
    /** Shared with other sign-in methods (features/srp), which run it inside their own system transaction. */
    systemPool,
    startSession,
    revokeOtherSessions: (db: pg.PoolClient, userId: string, keepSessionId: string, reason: string) =>
      authRepo.revokeUserSessions(db, userId, reason, keepSessionId),
    setSessionScope: authRepo.setSessionScope,
    /** The account behind an email (any tenant), inside the caller's system transaction. */
    findUserByEmail: authRepo.findUserByEmail,
    /** A user's sessions with their live refresh tokens, inside the caller's system transaction (features/account). */
    sessionsOf: authRepo.sessionsOf,

    /**
     * Password sign-in exists only to enrol (issue 6): an account without a verifier (the first admin, a new or reset
     * account) gets an enrol-only session. An enrolled account signs in with SRP: its password is not checked here,
     * but it is refused exactly like a wrong password (same answer, same argon2 work), so this endpoint does not
     * reveal which emails are enrolled.
     */
    async login(email: string, password: string, meta: ClientMeta): Promise<IssuedTokens> {
      const user = await withSystem(systemPool, (db) => authRepo.findUserByEmail(db, email));
      const enrolled = user !== undefined && !user.must_upgrade_auth;
      // Unknown and enrolled accounts verify against a dummy hash: the same time as a real check.
      const ok = await verifyPassword(enrolled ? undefined : user?.password_hash, password);
      const result = await withSystem(systemPool, async (db) => {
        if (!user || enrolled || !ok || !user.is_active) {
          await audit(db, meta, {
            tenantId: user?.tenant_id ?? null,
            actorType: user ? 'user' : 'anonymous',
            actorId: user?.id ?? null,
            actorLabel: email.slice(0, 320),
            action: 'auth.login_failed',
            details: { reason: !user ? 'unknown_email' : enrolled ? 'enrolled' : !ok ? 'bad_password' : 'disabled' },
          });
          return undefined; // commit the audit row, then refuse
        }
        return startSession(db, user, meta, 'auth.login', 'enrol');
      });
      // One answer for every failure: which emails exist, or are enrolled, is nobody's business.
      if (!result) throw new AppError('invalid_credentials', 'email or password is wrong');
      return result;
    },

    /** Rotates a refresh token. A token presented twice means it leaked: the whole session is revoked. */
    async refresh(refreshToken: string, meta: ClientMeta): Promise<IssuedTokens> {
      const hash = sha256(refreshToken);
      const outcome = await withSystem(systemPool, async (db) => {
        const t = await authRepo.lockRefreshToken(db, hash);
        if (!t) return { error: 'unknown' as const };
        if (t.revoked_at) return { error: 'revoked' as const };
        if (t.used_at) {
          await authRepo.revokeSession(db, t.session_id, 'refresh_token_reused');
          await audit(db, meta, {
            tenantId: t.tenant_id,
            actorType: 'user',
            actorId: t.user_id,
            actorLabel: null,
            action: 'auth.refresh_reuse_detected',
            targetType: 'session',
            targetId: t.session_id,
          });
          return { error: 'reused' as const };
        }
        // The session's own end (2 h for an enrol-only one) binds every refresh token it issued.
        if (Math.min(t.expires_at.getTime(), t.session_expires_at.getTime()) <= Date.now())
          return { error: 'expired' as const };
        const user = await authRepo.findSessionUser(db, t.session_id, t.user_id);
        if (!user?.is_active) return { error: 'disabled' as const };
        await authRepo.markRefreshUsed(db, hash);
        await authRepo.touchSession(db, t.session_id);
        return { tokens: await issue(db, t.user_id, t.tenant_id, t.session_id) };
      });
      if ('tokens' in outcome && outcome.tokens) return outcome.tokens;
      throw new AppError('invalid_refresh_token', `refresh token is not valid (${outcome.error}); sign in again`);
    },

    async logout(principal: Principal | undefined, refreshToken: string | undefined, meta: ClientMeta) {
      await withSystem(systemPool, async (db) => {
        let sessionId = principal?.kind === 'user' ? principal.sessionId : undefined;
        if (!sessionId && refreshToken)
          sessionId = (await authRepo.lockRefreshToken(db, sha256(refreshToken)))?.session_id;
        if (!sessionId) return;
        await authRepo.revokeSession(db, sessionId, 'logout');
        if (principal?.kind === 'user')
          await audit(db, meta, {
            tenantId: principal.tenantId,
            actorType: 'user',
            actorId: principal.userId,
            actorLabel: principal.email,
            action: 'auth.logout',
            targetType: 'session',
            targetId: sessionId,
          });
      });
    },

    /** Resolves an access token to a principal, checking that the session and the account are still valid. */
    async authenticateAccessToken(token: string): Promise<Principal> {
      const claims = await signer.verify(token);
      // One statement on the pool, no transaction: this runs on every authenticated request.
      const u = await authRepo.findSessionUser(systemPool, claims.sid, claims.sub);
      if (!sessionLive(u)) throw new AppError('not_authenticated', 'session has ended; sign in again');
      if (!u.is_active) throw new AppError('account_disabled', 'this account is disabled');
      return {
        kind: 'user',
        userId: u.id,
        tenantId: u.tenant_id,
        role: u.role,
        email: u.email,
        name: u.name,
        sessionId: claims.sid,
        mustUpgradeAuth: u.must_upgrade_auth,
        scope: u.scope,
      };
    },

    /**
     * Whether a session that authenticated earlier may go on (not revoked or expired, account still active): one
     * indexed read, for long-lived responses such as the SSE stream.
     */
    async sessionStillValid(userId: string, sessionId: string): Promise<boolean> {
      const u = await authRepo.findSessionUser(systemPool, sessionId, userId);
      return sessionLive(u) && u.is_active;
    },

    /** Creates the first super_admin from FIRST_ADMIN_* when no user exists yet. Returns whether it did. */
    async bootstrapFirstAdmin(email: string | undefined, password: string | undefined): Promise<boolean> {
      if (!email || !password) return false;
      const passwordHash = await hashPassword(password);
      return withSystem(systemPool, async (db) => {
        await db.query('select pg_advisory_xact_lock(7243003)');
        if ((await authRepo.countUsers(db)) > 0) return false;
        const r = await db.query<{ id: string }>(
          `insert into users (tenant_id, email, name, role, password_hash)
           values (null, $1, 'Administrator', 'super_admin', $2) returning id`,
          [email, passwordHash],
        );
        await recordRawAudit(db, {
          tenantId: null,
          actorType: 'system',
          actorId: null,
          actorLabel: 'bootstrap',
          action: 'user.bootstrap_admin',
          targetType: 'user',
          targetId: r.rows[0]!.id,
          details: { email },
        });
        deps.log.info({ email }, 'first super_admin created from FIRST_ADMIN_EMAIL');
        return true;
      });
    },

    revokeUserSessions: (userId: string, reason: string) =>
      withSystem(systemPool, (db) => authRepo.revokeUserSessions(db, userId, reason)),

    cleanupExpired: () => withSystem(systemPool, (db) => authRepo.deleteExpired(db)),
  };
}
export type AuthService = ReturnType<typeof createAuthService>;

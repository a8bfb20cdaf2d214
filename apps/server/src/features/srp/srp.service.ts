import { createHmac } from 'node:crypto';
import type { Actor } from '../../platform/auth/principal.js';
import { type Db, withSystem } from '../../platform/db/tx.js';
import { AppError, forbidden } from '../../platform/http/errors.js';
import { recordAudit, recordRawAudit } from '../audit/audit.service.js';
import type { AuthService, ClientMeta, IssuedTokens } from '../auth/auth.service.js';
import {
  GROUP_3072,
  identity,
  modPow,
  pad,
  randomExponent,
  SrpError,
  serverPublic,
  toBigInt,
  verifyClient,
} from './srp.math.js';
import { type SrpUser, srpRepo } from './srp.repo.js';
import { postgresSrpStore, type SrpSessionStore } from './srp.store.js';

export const SRP_ITERATIONS = 650_000;
export const SRP_SESSION_SECONDS = 60;
const NO_USER = '00000000-0000-0000-0000-000000000000';
const group = GROUP_3072;

export type SrpInit = { sessionId: string; salt: Buffer; B: Buffer };
/** A client's answer to one /srp/init: its session, A and M1. */
export type SrpProof = { sessionId: string; A: Buffer; M1: Buffer };

export function createSrpService(deps: { auth: AuthService; serverSecret: string; store?: SrpSessionStore }) {
  const { auth } = deps;
  const systemPool = auth.systemPool;
  // A key of its own for fake salts, so they say nothing about the JWT key they come from.
  const fakeSaltKey = createHmac('sha256', deps.serverSecret).update('tod/srp/fake-salt-key').digest();
  const fakeSalt = (I: Buffer) => createHmac('sha256', fakeSaltKey).update(I).digest().subarray(0, 16);
  const refuse = () => new AppError('invalid_credentials', 'sign-in failed');
  // The verifier an unknown or not-yet-enrolled email is checked against, so the fake path does the same
  // arithmetic (and time) as a real one. Its exponent derives from the server key: nobody can pass the check.
  let dummyVerifier: bigint | undefined;
  const fakeVerifier = () => {
    dummyVerifier ??= modPow(group.g, toBigInt(createHmac('sha256', fakeSaltKey).update('dummy-x').digest()), group.N);
    return dummyVerifier;
  };
  const store = deps.store ?? postgresSrpStore;

  type Failure = { reason: string; user?: SrpUser; email?: string };
  /** Consumes the init session and checks M1 against the account's verifier. */
  async function checkProof(db: Db, p: SrpProof): Promise<{ user: SrpUser; M2: Buffer } | Failure> {
    const s = await store.consume(db, p.sessionId);
    if (!s) return { reason: 'unknown_or_used_session' };
    // An unknown email does the same work as a known one (a lookup, then the proof check against a dummy
    // verifier): otherwise answering faster would tell which emails are enrolled.
    const found = await srpRepo.findUser(db, s.user_id ?? NO_USER);
    const user = found?.srp_verifier ? found : undefined;
    try {
      const M2 = verifyClient(group, {
        I: identity(s.email),
        salt: s.salt,
        A: toBigInt(p.A),
        B: toBigInt(s.B),
        b: toBigInt(s.b),
        v: user ? toBigInt(user.srp_verifier!) : fakeVerifier(),
        M1: p.M1,
      });
      if (!user) return { reason: 'unknown_email', email: s.email };
      if (!M2) return { reason: 'bad_proof', user };
      if (!user.is_active) return { reason: 'disabled', user };
      return { user, M2 };
    } catch (err) {
      if (!(err instanceof SrpError)) throw err;
      return user ? { reason: err.reason, user } : { reason: 'unknown_email', email: s.email };
    }
  }

  const auditFailure = (db: Db, f: Failure, action: string, meta: ClientMeta) =>
    recordRawAudit(db, {
      tenantId: f.user?.tenant_id ?? null,
      actorType: f.user ? 'user' : 'anonymous',
      actorId: f.user?.id ?? null,
      actorLabel: (f.user?.email ?? f.email ?? null)?.slice(0, 320) ?? null,
      action,
      details: { reason: f.reason },
      ip: meta.ip,
      requestId: meta.requestId,
    });

  /**
   * Re-authentication for a sensitive change by a signed-in user (a password change, deleting the account): a
   * fresh proof of the CURRENT password and Secret Key, from this user, inside the caller's system transaction. A
   * failure is audited as `user.srp_reauth_failed` by the session that tried (whoever the proof was for); the
   * caller commits that row, then refuses.
   */
  async function reauthenticate(db: Db, actor: Actor, proof: SrpProof): Promise<boolean> {
    const p = actor.principal;
    if (p.kind !== 'user') return false;
    const check = await checkProof(db, proof);
    if (!('reason' in check) && check.user.id === p.userId) return true;
    const reason = 'reason' in check ? (check.reason === 'unknown_email' ? 'other_user' : check.reason) : 'other_user';
    await recordAudit(
      db,
      actor,
      { action: 'user.srp_reauth_failed', targetType: 'user', targetId: p.userId, details: { reason } },
      p.tenantId,
    );
    return false;
  }

  return {
    /**
     * Step 1. Unknown or not-yet-enrolled emails get the same shape: a salt that is stable per email (so repeated
     * calls cannot tell them apart from a real account) and a B computed like a real one, from a dummy verifier.
     */
    async init(email: string): Promise<SrpInit> {
      const I = identity(email);
      return withSystem(systemPool, async (db) => {
        const user = await srpRepo.findUserByEmail(db, I.toString('utf8'));
        const enrolled = user?.srp_verifier && user.srp_salt ? user : undefined;
        const b = randomExponent();
        const B = serverPublic(group, enrolled ? toBigInt(enrolled.srp_verifier!) : fakeVerifier(), b);
        const salt = enrolled ? enrolled.srp_salt! : fakeSalt(I);
        const sessionId = await store.create(
          db,
          { user_id: enrolled?.id ?? null, email: I.toString('utf8'), b: pad(group, b), B: pad(group, B), salt },
          SRP_SESSION_SECONDS,
        );
        return { sessionId, salt, B: pad(group, B) };
      });
    },

    /** Step 2. Every failure is the same 401; the audit row says why. */
    async verify(
      sessionId: string,
      A: Buffer,
      M1: Buffer,
      meta: ClientMeta,
    ): Promise<{ M2: Buffer; tokens: IssuedTokens }> {
      const result = await withSystem(systemPool, async (db) => {
        const check = await checkProof(db, { sessionId, A, M1 });
        if ('reason' in check) {
          await auditFailure(db, check, 'auth.srp_failed', meta);
          return undefined; // commit the audit row, then refuse
        }
        return { M2: check.M2, tokens: await auth.startSession(db, check.user, meta, 'auth.srp_login') };
      });
      if (!result) throw refuse();
      return result;
    },

    /**
     * Enrolment and password change: a new salt and verifier; every other session of the user ends.
     * An enrol-only session (password or reset-link sign-in) enrols without more ado and becomes a full session.
     * A full session must prove the CURRENT password and Secret Key with a fresh exchange, so a session left open
     * on an unattended screen cannot take the account over.
     */
    reauthenticate,

    async register(actor: Actor, salt: Buffer, verifier: Buffer, proof?: SrpProof) {
      const p = actor.principal;
      if (p.kind !== 'user') throw forbidden('only a signed-in user can register a verifier');
      const v = toBigInt(verifier);
      if (v <= 1n || v >= group.N - 1n) throw new AppError('validation_failed', 'verifier is out of range');
      if (p.scope === 'full' && !proof)
        throw new AppError('reauthentication_failed', 'changing the password needs a proof of the current one');
      const done = await withSystem(systemPool, async (db) => {
        if (p.scope === 'full' && proof && !(await reauthenticate(db, actor, proof))) return false;
        await srpRepo.storeVerifier(db, p.userId, salt, pad(group, v));
        await auth.revokeOtherSessions(db, p.userId, p.sessionId, 'srp_registered');
        if (p.scope === 'enrol') await auth.setSessionScope(db, p.sessionId, 'full');
        await recordAudit(
          db,
          actor,
          {
            action: p.scope === 'enrol' ? 'user.srp_enrolled' : 'user.password_changed',
            targetType: 'user',
            targetId: p.userId,
          },
          p.tenantId,
        );
        return true;
      });
      if (!done) throw new AppError('reauthentication_failed', 'the current password or Secret Key is wrong');
    },
  };
}
export type SrpService = ReturnType<typeof createSrpService>;

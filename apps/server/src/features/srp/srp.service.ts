import { createHmac } from 'node:crypto';
import type { Actor } from '../../platform/auth/principal.js';
import { withSystem } from '../../platform/db/tx.js';
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
import { srpRepo } from './srp.repo.js';

export const SRP_ITERATIONS = 650_000;
export const SRP_SESSION_SECONDS = 60;
const group = GROUP_3072;

export type SrpInit = { sessionId: string; salt: Buffer; B: Buffer };

export function createSrpService(deps: { auth: AuthService; serverSecret: string }) {
  const { auth } = deps;
  const systemPool = auth.systemPool;
  // A key of its own for fake salts, so they say nothing about the JWT key they come from.
  const fakeSaltKey = createHmac('sha256', deps.serverSecret).update('tod/srp/fake-salt-key').digest();
  const fakeSalt = (I: Buffer) => createHmac('sha256', fakeSaltKey).update(I).digest().subarray(0, 16);
  const refuse = () => new AppError('invalid_credentials', 'sign-in failed');

  return {
    /**
     * Step 1. Unknown or not-yet-enrolled emails get the same shape: a salt that is stable per email (so repeated
     * calls cannot tell them apart from a real account) and a B that is g^b for a fresh b.
     */
    async init(email: string): Promise<SrpInit> {
      const I = identity(email);
      return withSystem(systemPool, async (db) => {
        const user = await srpRepo.findUserByEmail(db, I.toString('utf8'));
        const enrolled = user?.srp_verifier && user.srp_salt ? user : undefined;
        const b = randomExponent();
        const B = enrolled ? serverPublic(group, toBigInt(enrolled.srp_verifier!), b) : modPow(group.g, b, group.N);
        const salt = enrolled ? enrolled.srp_salt! : fakeSalt(I);
        const sessionId = await srpRepo.createSession(db, {
          userId: enrolled?.id ?? null,
          email: I.toString('utf8'),
          b: pad(group, b),
          B: pad(group, B),
          salt,
          ttlSeconds: SRP_SESSION_SECONDS,
        });
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
        const s = await srpRepo.consumeSession(db, sessionId);
        const user = s?.user_id ? await srpRepo.findUser(db, s.user_id) : undefined;
        let reason: string | undefined;
        let M2: Buffer | undefined;
        if (!s) reason = 'unknown_or_used_session';
        else if (!user?.srp_verifier) reason = 'unknown_email';
        else {
          try {
            M2 = verifyClient(group, {
              I: identity(s.email),
              salt: s.salt,
              A: toBigInt(A),
              B: toBigInt(s.B),
              b: toBigInt(s.b),
              v: toBigInt(user.srp_verifier),
              M1,
            });
            if (!M2) reason = 'bad_proof';
            else if (!user.is_active) reason = 'disabled';
          } catch (err) {
            if (!(err instanceof SrpError)) throw err;
            reason = err.reason;
          }
        }
        if (reason || !M2 || !user) {
          await recordRawAudit(db, {
            tenantId: user?.tenant_id ?? null,
            actorType: user ? 'user' : 'anonymous',
            actorId: user?.id ?? null,
            actorLabel: (user?.email ?? s?.email ?? null)?.slice(0, 320) ?? null,
            action: 'auth.srp_failed',
            details: { reason },
            ip: meta.ip,
            requestId: meta.requestId,
          });
          return undefined; // commit the audit row, then refuse
        }
        return { M2, tokens: await auth.startSession(db, user, meta, 'auth.srp_login') };
      });
      if (!result) throw refuse();
      return result;
    },

    /** Enrolment and password change: a new salt and verifier; every other session of the user ends. */
    async register(actor: Actor, salt: Buffer, verifier: Buffer) {
      const p = actor.principal;
      if (p.kind !== 'user') throw forbidden('only a signed-in user can register a verifier');
      const v = toBigInt(verifier);
      if (v <= 1n || v >= group.N - 1n) throw new AppError('validation_failed', 'verifier is out of range');
      await withSystem(systemPool, async (db) => {
        await srpRepo.storeVerifier(db, p.userId, salt, pad(group, v));
        await auth.revokeOtherSessions(db, p.userId, p.sessionId, 'srp_registered');
        await recordAudit(
          db,
          actor,
          { action: 'user.srp_registered', targetType: 'user', targetId: p.userId },
          p.tenantId,
        );
      });
    },
  };
}
export type SrpService = ReturnType<typeof createSrpService>;

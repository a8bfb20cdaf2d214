import type { Logger } from 'pino';
import { withSystem } from '../../platform/db/tx.js';
import { AppError } from '../../platform/http/errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { recordRawAudit } from '../audit/audit.service.js';
import type { AuthService, ClientMeta, IssuedTokens } from '../auth/auth.service.js';
import { randomToken, sha256 } from '../auth/tokens.js';
import { resetMail } from './password-reset.mail.js';
import { passwordResetRepo } from './password-reset.repo.js';

/**
 * "Forgot password": a single-use link by email. Using it gives an enrol-only session, so the user chooses a new
 * password and Secret Key exactly as at first sign-in; the old verifier works until the new one is registered.
 */
export function createPasswordResetService(deps: {
  auth: AuthService;
  mailer?: Mailer;
  baseUrl: string;
  minutes: number;
  appName: string;
  log: Logger;
}) {
  const { auth, mailer, log } = deps;
  const systemPool = auth.systemPool;
  const pending = new Set<Promise<void>>();

  return {
    enabled: mailer !== undefined,

    /**
     * Always succeeds from the caller's point of view, and answers before any mail is sent, so neither the answer
     * nor its timing says whether the email belongs to an account.
     */
    async request(email: string, meta: ClientMeta): Promise<void> {
      if (!mailer) throw new AppError('email_not_configured', 'this TOD has no SMTP server; ask an administrator');
      const mail = await withSystem(systemPool, async (db) => {
        const user = await auth.findUserByEmail(db, email.trim());
        if (!user?.is_active) return undefined;
        const token = randomToken(32);
        await passwordResetRepo.create(db, user.id, sha256(token), deps.minutes);
        await recordRawAudit(db, {
          tenantId: user.tenant_id,
          actorType: 'anonymous',
          actorId: null,
          actorLabel: user.email,
          action: 'auth.password_reset_requested',
          targetType: 'user',
          targetId: user.id,
          ip: meta.ip,
          requestId: meta.requestId,
        });
        const link = `${deps.baseUrl.replace(/\/+$/, '')}/reset-password#token=${token}`;
        return resetMail({
          to: user.email,
          name: user.name,
          link,
          minutes: deps.minutes,
          ip: meta.ip,
          appName: deps.appName,
        });
      });
      if (!mail) return;
      const sending = mailer
        .send(mail)
        .catch((err: Error) => log.warn({ to: mail.to, err: err.message }, 'password reset email not sent'))
        .finally(() => pending.delete(sending));
      pending.add(sending);
    },

    /** Spends the link; the answer is an enrol-only session (tokens and cookies like a sign-in). */
    async complete(token: string, meta: ClientMeta): Promise<IssuedTokens> {
      const tokens = await withSystem(systemPool, async (db) => {
        const user = await passwordResetRepo.consume(db, sha256(token));
        if (!user?.is_active) return undefined;
        return auth.startSession(db, user, meta, 'auth.password_reset', 'enrol');
      });
      if (!tokens)
        throw new AppError('reset_link_invalid', 'this reset link is expired, used or unknown; ask for a new one');
      return tokens;
    },

    /** Waits for mails in flight (graceful shutdown, tests). */
    async drain() {
      await Promise.allSettled([...pending]);
    },
  };
}
export type PasswordResetService = ReturnType<typeof createPasswordResetService>;

import nodemailer from 'nodemailer';
import type { Mailer } from '../../../platform/mail/mailer.js';
import type { AlertMail } from './email.js';
import type { ChannelTarget, DeliveryOutcome } from './types.js';

// An alert email through the channel's own SMTP server, or through TOD's when the channel names none. The reason
// on failure is a code made from the SMTP reply code or the connection error, never the server's text (it can
// echo the user name) and never the password.

export type EmailTarget = Extract<ChannelTarget, { kind: 'email' }>;

export type EmailDeps = {
  /** TOD's own SMTP (SMTP_HOST), for channels without a server of their own. */
  systemMailer?: Mailer;
  /** SMTP_FROM_ADDRESS: the sender when the channel names none. */
  systemFrom?: string;
  timeoutMs: number;
};

const fail = (retryable: boolean, reason: string): DeliveryOutcome => ({ ok: false, retryable, reason });

/** 4xx replies and connection trouble are worth another try; 5xx replies are final (503 aside: a state mix-up). */
export function outcomeOfSmtpError(err: unknown): DeliveryOutcome {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const rc = typeof e.responseCode === 'number' ? e.responseCode : null;
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.code === 'EAUTH') return fail(rc !== null && rc >= 400 && rc < 500, 'smtp_auth_failed');
  if (rc !== null && rc >= 400 && rc < 500) return fail(true, `smtp_${rc}`);
  if (rc !== null && rc >= 500 && rc < 600) return fail(rc === 503, `smtp_${rc}`);
  if (/ECONNREFUSED/.test(message)) return fail(true, 'connection_refused');
  if (e.code === 'ETIMEDOUT') return fail(true, 'timeout');
  if (e.code === 'EDNS') return fail(true, 'dns');
  if (e.code === 'ETLS' || e.code === 'EREQUIRETLS') return fail(true, 'tls_error');
  if (e.code === 'EENVELOPE') return fail(false, 'smtp_envelope');
  return fail(true, 'smtp_error');
}

export async function sendEmail(target: EmailTarget, mail: AlertMail, deps: EmailDeps): Promise<DeliveryOutcome> {
  if (target.to.length === 0) return fail(false, 'no_recipients');
  const to = target.to.join(', ');
  try {
    if (target.host) {
      const port = target.port ?? 587;
      const transport = nodemailer.createTransport({
        host: target.host,
        port,
        // 465 speaks TLS from the first byte; elsewhere use_tls demands STARTTLS.
        secure: port === 465,
        requireTLS: target.use_tls ?? false,
        ...(target.username && target.password ? { auth: { user: target.username, pass: target.password } } : {}),
        connectionTimeout: deps.timeoutMs,
        greetingTimeout: deps.timeoutMs,
        socketTimeout: deps.timeoutMs * 2,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      try {
        await transport.sendMail({ from: target.from ?? deps.systemFrom ?? 'noreply@tod.local', to, ...mail });
      } finally {
        transport.close();
      }
    } else if (deps.systemMailer) {
      await deps.systemMailer.send({ to, ...mail });
    } else {
      return fail(false, 'email_not_configured');
    }
    return { ok: true };
  } catch (err) {
    return outcomeOfSmtpError(err);
  }
}

import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

/** A file sent with a mail; its bytes are in memory (nodemailer never reads a path or URL for TOD). */
export type MailAttachment = { filename: string; content: Buffer; contentType: string };

export type Mail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** A fixed Message-ID (`<…@…>`), so a mail sent again after a crash is recognisably the same message. */
  messageId?: string;
};
export type Mailer = { send(mail: Mail): Promise<void>; close(): void };

export type SmtpSettings = {
  host: string;
  port: number;
  user?: string;
  password?: string;
  /** STARTTLS required on a plain port; 465 is TLS from the first byte regardless. */
  startTls: boolean;
  from: string;
};

/** SMTP through one pooled transport. Never logs message bodies: they carry one-time links. */
export function createSmtpMailer(s: SmtpSettings, log: Logger): Mailer {
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.port === 465,
    requireTLS: s.startTls,
    ...(s.user && s.password ? { auth: { user: s.user, pass: s.password } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    pool: true,
    maxConnections: 2,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: s.from, ...mail });
      log.info({ to: mail.to, subject: mail.subject, messageId: info.messageId }, 'email sent');
    },
    close: () => transport.close(),
  };
}

export function smtpSettingsFrom(env: {
  SMTP_HOST?: string;
  SMTP_PORT: number;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  SMTP_USE_TLS: boolean;
  SMTP_FROM_ADDRESS: string;
}): SmtpSettings | undefined {
  if (!env.SMTP_HOST) return undefined;
  return {
    host: env.SMTP_HOST,
    port: env.SMTP_PORT,
    user: env.SMTP_USER,
    password: env.SMTP_PASSWORD,
    startTls: env.SMTP_USE_TLS,
    from: env.SMTP_FROM_ADDRESS,
  };
}

import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { withSystem, withTenant } from '../../platform/db/tx.js';
import { recordEvent } from '../../platform/events/index.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useByWorker } from '../../platform/kms/key-use.js';
import type { Mail, Mailer } from '../../platform/mail/mailer.js';
import { openReport } from './file.js';
import { reportEvent } from './live.js';
import { type ReportRow, reportsRepo } from './reports.repo.js';

// Emails each scheduled report to its schedule's recipients, once (worker role).
//
// A done report with recipients gets `email_after`; a sender claims it under a lease (SKIP LOCKED, so two workers
// never send the same report at once), sends, and marks `emailed_at` only while its claim still owns the row. A
// worker that dies before the SMTP server accepted the mail leaves the claim to lapse and another sends it. The one
// window SMTP cannot close: a worker that dies after the server accepted the mail but before `emailed_at` is written
// makes the next one send it again — with the same Message-ID (`<report-<id>@<host>>`), which mail systems use to
// drop the duplicate. Failures are retried with backoff (4xx replies, connection trouble) up to `maxAttempts`;
// permanent ones (5xx replies, a refused envelope) and "no SMTP configured" are not; the reason is kept on the
// report (`email_error`).

export type ReportMailOptions = {
  leaseMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  pollMs: number;
  batch: number;
};

export const defaultMailOptions: ReportMailOptions = {
  // Longer than nodemailer's connect + greeting + socket timeouts together (platform/mail).
  leaseMs: 120_000,
  retryBaseMs: 60_000,
  maxAttempts: 5,
  pollMs: 5000,
  batch: 4,
};

/** Larger files are not attached (mail servers refuse big messages); the mail says where to download it. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const kindTitle: Record<string, string> = {
  fleet: 'Fleet summary',
  device: 'Device health',
  compliance: 'Compliance',
  sla: 'SLA',
};

/** A failed send: the reason as a code (never the server's text, which can echo credentials), and whether to retry. */
export function smtpFailure(err: unknown): { reason: string; retry: boolean } {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const rc = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (e.code === 'EAUTH') return { reason: 'smtp_auth_failed', retry: rc !== null && rc < 500 };
  if (rc !== null && rc >= 400 && rc < 500) return { reason: `smtp_${rc}`, retry: true };
  if (rc !== null && rc >= 500) return { reason: `smtp_${rc}`, retry: rc === 503 };
  if (e.code === 'EENVELOPE') return { reason: 'smtp_envelope', retry: false };
  if (typeof e.message === 'string' && /ECONNREFUSED/.test(e.message))
    return { reason: 'connection_refused', retry: true };
  if (e.code === 'ETIMEDOUT') return { reason: 'timeout', retry: true };
  if (e.code === 'EDNS') return { reason: 'dns', retry: true };
  if (e.code === 'ETLS' || e.code === 'EREQUIRETLS') return { reason: 'tls_error', retry: true };
  return { reason: 'smtp_error', retry: true };
}

const day = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/** The mail of one report; the file attached unless it is too large. */
export function reportMail(
  r: ReportRow,
  file: Buffer | null,
  m: { appName: string; baseUrl: string; tenantName: string },
): Mail {
  const title = kindTitle[r.kind] ?? r.kind;
  const schedule = r.requested_by?.type === 'schedule' ? r.requested_by.label : null;
  const period = `${day(new Date(r.params.from))} to ${day(new Date(r.params.to))} UTC`;
  const link = `${m.baseUrl.replace(/\/$/, '')}/reports`;
  const lines = [
    `${title} report for ${m.tenantName}${schedule ? ` (schedule "${schedule}")` : ''}.`,
    `Period: ${period}.`,
    '',
    file
      ? `The report is attached (${r.file_name}).`
      : `The report is too large to attach (${r.size} bytes); download it from ${m.appName}: ${link}`,
    '',
    `Sent by ${m.appName}. Reports are kept for a limited time; see ${link}.`,
  ];
  return {
    to: r.email_to.join(', '),
    subject: `${title} report: ${m.tenantName}, ${period}`,
    text: lines.join('\n'),
    messageId: `<report-${r.id}@${new URL(m.baseUrl).hostname || 'tod.local'}>`,
    ...(file && r.file_name && r.content_type
      ? { attachments: [{ filename: r.file_name, content: file, contentType: r.content_type }] }
      : {}),
  };
}

export function createReportMailer(deps: {
  appPool: pg.Pool;
  systemPool: pg.Pool;
  envelope: Envelope;
  /** TOD's SMTP (SMTP_HOST); without it every email fails once with `email_not_configured`. */
  mailer?: Mailer;
  appName: string;
  baseUrl: string;
  tenantName: (tenantId: string) => Promise<string>;
  log: Logger;
  options?: Partial<ReportMailOptions>;
}) {
  const o = { ...defaultMailOptions, ...deps.options };
  const owner = `report-mail:${randomUUID()}`;
  const log = deps.log.child({ component: 'report-mail' });

  /** Backoff after the `attempts`-th try, or null once the tries are used up. */
  const retryIn = (attempts: number) => (attempts >= o.maxAttempts ? null : o.retryBaseMs * 4 ** (attempts - 1));

  async function record(r: ReportRow, write: (db: pg.PoolClient) => Promise<ReportRow | undefined>) {
    const row = await withTenant(deps.appPool, r.tenant_id, async (db) => {
      const row = await write(db);
      if (row) await recordEvent(db, reportEvent(row));
      return row;
    });
    if (!row) log.warn({ report: r.id }, 'report email outcome dropped: the claim lapsed');
    return row;
  }

  /** Sends one claimed report; resolves with the row as it ended. */
  async function send(r: ReportRow): Promise<ReportRow | undefined> {
    if (!deps.mailer) return record(r, (db) => reportsRepo.emailFailed(db, r.id, owner, 'email_not_configured', null));
    let mail: Mail;
    try {
      const attach = (r.size ?? 0) <= MAX_ATTACHMENT_BYTES;
      const sealed = attach ? await reportsRepo.sealedFile(deps.systemPool, r.id) : null;
      const file = sealed
        ? await openReport(deps.envelope, r.tenant_id, r.id, sealed, useByWorker('reports', 'email'))
        : null;
      mail = reportMail(r, file, {
        appName: deps.appName,
        baseUrl: deps.baseUrl,
        tenantName: await deps.tenantName(r.tenant_id),
      });
    } catch (err) {
      log.warn({ err, report: r.id }, 'report email could not be prepared');
      return record(r, (db) =>
        reportsRepo.emailFailed(db, r.id, owner, 'email_prepare_failed', retryIn(r.email_attempts)),
      );
    }
    try {
      await deps.mailer.send(mail);
    } catch (err) {
      const f = smtpFailure(err);
      const again = f.retry ? retryIn(r.email_attempts) : null;
      log.warn({ report: r.id, reason: f.reason, attempts: r.email_attempts, again }, 'report email failed');
      return record(r, (db) => reportsRepo.emailFailed(db, r.id, owner, f.reason, again));
    }
    return record(r, (db) => reportsRepo.emailSent(db, r.id, owner));
  }

  /** Claims due emails and sends them; resolves when they are done. */
  async function runOnce(): Promise<Array<ReportRow | undefined>> {
    const claimed = await withSystem(deps.systemPool, (db) => reportsRepo.claimEmails(db, owner, o.batch, o.leaseMs));
    return Promise.all(claimed.map((r) => send(r)));
  }

  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let ticking: Promise<unknown> = Promise.resolve();
  function kick() {
    if (stopped) return;
    ticking = ticking
      .then(async () => {
        while (!stopped && (await runOnce()).length > 0) {}
      })
      .catch((err) => log.warn({ err }, 'report email pass failed'));
  }

  return {
    owner,
    runOnce,
    /** A report is done: look now rather than at the next poll (no-op unless started). */
    kick,
    start() {
      stopped = false;
      timer = setInterval(kick, o.pollMs);
      timer.unref();
      kick();
      return {
        async stop() {
          stopped = true;
          clearInterval(timer);
          await ticking;
        },
      };
    },
  };
}
export type ReportMailer = ReturnType<typeof createReportMailer>;

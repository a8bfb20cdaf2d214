import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { sealReport } from '../../src/features/reports/file.js';
import { createReportMailer, type ReportMailOptions } from '../../src/features/reports/mail.js';
import { type ReportRow, reportsRepo } from '../../src/features/reports/reports.repo.js';
import { type BuildReport, createReportRunner, type ReportRunnerOptions } from '../../src/features/reports/runner.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { uuidv7 } from '../../src/platform/events/uuid7.js';
import { useByWorker } from '../../src/platform/kms/key-use.js';
import { createSmtpMailer } from '../../src/platform/mail/mailer.js';
import { freePort } from '../global-setup.js';
import type { TestContext } from '../helpers/context.js';

// Shared by the reports tests: a finished report written straight to the table (the access matrix needs files
// without rendering one per call), more runners and email senders as other worker processes would have, and a
// real SMTP server on loopback.

const quiet = pino({ level: 'silent' });

/** A done report of `tenantId` whose file is `data`, sealed as the runner seals it. */
export async function insertDoneReport(
  ctx: TestContext,
  tenantId: string,
  data = Buffer.from('%PDF-1.3\n% a test file\n'),
  over: { email_to?: string[]; created_at?: Date } = {},
): Promise<ReportRow> {
  const id = uuidv7();
  const sealed = await sealReport(ctx.services.envelope, tenantId, id, data, useByWorker('reports', 'seal'));
  return withSystem(ctx.pools.system, async (db) => {
    await reportsRepo.insert(db, {
      id,
      tenant_id: tenantId,
      kind: 'fleet',
      format: 'pdf',
      params: { from: '2025-01-01T00:00:00.000Z', to: '2025-01-08T00:00:00.000Z' },
      requested_by: { type: 'system', id: null, label: 'test' },
      email_to: over.email_to ?? [],
    });
    await db.query(
      `update reports set status = 'running', claimed_by = 'test', created_at = coalesce($2, created_at) where id = $1`,
      [id, over.created_at ?? null],
    );
    const row = await reportsRepo.finish(db, id, 'test', {
      file: sealed,
      file_name: 'fleet.pdf',
      content_type: 'application/pdf',
      size: data.length,
      summary: { devices: 0 },
    });
    return row!;
  });
}

/** Another worker's report runner (its own claim owner), rendering with the real content. */
export function otherRunner(ctx: TestContext, options: Partial<ReportRunnerOptions> = {}, build?: BuildReport) {
  const svc = ctx.services.reports;
  return createReportRunner({
    appPool: ctx.pools.app,
    systemPool: ctx.pools.system,
    envelope: ctx.services.envelope,
    build: build ?? svc.build,
    tenantName: svc.tenantName,
    log: quiet,
    options,
  });
}

/** Another worker's email sender, with its own SMTP connection to `port`. */
export function otherMailer(ctx: TestContext, port: number, options: Partial<ReportMailOptions> = {}) {
  const mailer = createSmtpMailer(
    { host: '127.0.0.1', port, startTls: false, from: ctx.config.SMTP_FROM_ADDRESS },
    quiet,
  );
  const sender = createReportMailer({
    appPool: ctx.pools.app,
    systemPool: ctx.pools.system,
    envelope: ctx.services.envelope,
    mailer,
    appName: ctx.config.APP_NAME,
    baseUrl: ctx.config.APP_BASE_URL,
    tenantName: ctx.services.reports.tenantName,
    log: quiet,
    options,
  });
  return Object.assign(sender, { close: () => mailer.close() });
}

export type Received = { from: string; to: string[]; raw: string };

/**
 * A real SMTP server on loopback. `reject` answers RCPT TO with that SMTP code (e.g. 450: try later; 550: never)
 * while set.
 */
export async function startSmtp() {
  const port = await freePort();
  const inbox: Received[] = [];
  const state = { reject: null as number | null };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    onRcptTo(_addr, _session, cb) {
      if (state.reject === null) return cb();
      const err = new Error('mailbox unavailable') as Error & { responseCode: number };
      err.responseCode = state.reject;
      cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { port, inbox, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The attachment of a raw MIME message, decoded (nodemailer sends binary parts as base64). */
export function attachmentOf(raw: string): { fileName: string; data: Buffer } | null {
  const m =
    /Content-Disposition: attachment;\s*filename="?([^"\r\n;]+)"?[\s\S]*?\r?\n\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n(?:\r?\n)?--/.exec(
      raw,
    );
  if (!m) return null;
  return { fileName: m[1]!, data: Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64') };
}

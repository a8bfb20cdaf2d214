import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withSystem } from '../../src/platform/db/tx.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { type Seed, seed } from '../helpers/seed.js';
import { attachmentOf, insertDoneReport, otherMailer, otherRunner, startSmtp } from './helpers.js';

// Report schedules against a real PostgreSQL and a real SMTP server on loopback: validation, the exactly-once
// schedule pass, the period of a run, the email sent once with the file attached (two workers, a crashed sender,
// failures retried or not), and retention.

let ctx: TestContext;
let s: Seed;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let base: string;

const schedule = (over: Record<string, unknown> = {}) => ({
  kind: 'fleet',
  cron: '0 6 * * 1',
  timezone: 'Europe/Berlin',
  recipients: ['noc@customer.test', 'boss@customer.test'],
  params: { period: 'week' },
  ...over,
});
const admin = () => apiAs(ctx, s, 'admin');
const run = (name: string) =>
  ctx.services.assembly
    .schedules()
    .find((x) => x.name === name)!
    .run();
/** Makes a schedule due: its next run was `at`. */
const dueAt = (id: string, at: string) =>
  withSystem(ctx.pools.system, (db) =>
    db.query('update report_schedules set next_run_at = $2 where id = $1', [id, at]),
  );
const reportsOf = (scheduleId: string) =>
  withSystem(
    ctx.pools.system,
    async (db) => (await db.query('select * from reports where schedule_id = $1', [scheduleId])).rows,
  );
const mailsTo = (address: string) => smtp.inbox.filter((m) => m.to.includes(address));

beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestContext({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    SMTP_FROM_ADDRESS: 'reports@msp.test',
    APP_BASE_URL: 'https://tod.msp.test',
    REPORT_RETENTION_DAYS: '30',
  });
  s = await seed(ctx);
  base = `/api/tenants/${s.a.id}`;
});
afterAll(async () => {
  await ctx?.close();
  await smtp?.close();
});
beforeEach(async () => {
  smtp.state.reject = null;
  await withSystem(ctx.pools.system, (db) => db.query('delete from reports'));
});

describe('schedules: writing them', () => {
  it('creates, reads, updates and deletes a schedule; the next run follows the cron in its zone', async () => {
    const created = expectStatus<Record<string, unknown>>(
      await admin().post(`${base}/report-schedules`, schedule()),
      201,
    );
    expect(created).toMatchObject({
      name: 'Weekly fleet report',
      format: 'pdf',
      enabled: true,
      timezone: 'Europe/Berlin',
      params: { period: 'week' },
      recipients: ['noc@customer.test', 'boss@customer.test'],
      created_by: s.a.users.admin.email,
      policies: { update: true, delete: true },
    });
    // Mondays at 06:00 in Berlin: 05:00 or 04:00 UTC.
    const next = new Date(created.next_run_at as string);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getUTCDay()).toBe(1);
    expect([4, 5]).toContain(next.getUTCHours());

    const id = created.id as string;
    const renamed = expectStatus<Record<string, unknown>>(
      await admin().patch(`${base}/report-schedules/${id}`, { name: 'NOC weekly' }),
      200,
    );
    expect(renamed).toMatchObject({ name: 'NOC weekly', next_run_at: created.next_run_at });
    const off = expectStatus<Record<string, unknown>>(
      await admin().patch(`${base}/report-schedules/${id}`, { enabled: false }),
      200,
    );
    expect(off.next_run_at).toBeNull();
    const daily = expectStatus<Record<string, unknown>>(
      await admin().patch(`${base}/report-schedules/${id}`, { enabled: true, cron: '30 7 * * *', timezone: 'UTC' }),
      200,
    );
    expect(new Date(daily.next_run_at as string).getUTCHours()).toBe(7);

    const list = expectStatus<{ items: Array<{ id: string }> }>(
      await apiAs(ctx, s, 'operator').get(`${base}/report-schedules`),
      200,
    );
    expect(list.items.map((x) => x.id)).toContain(id);
    expect((await apiAs(ctx, s, 'viewer').get(`${base}/report-schedules`)).statusCode).toBe(403);
    expect((await apiAs(ctx, s, 'operator').post(`${base}/report-schedules`, schedule())).statusCode).toBe(403);

    expect((await admin().delete(`${base}/report-schedules/${id}`)).statusCode).toBe(204);
    expect((await admin().get(`${base}/report-schedules/${id}`)).statusCode).toBe(404);
    const audit = await withSystem(ctx.pools.system, (db) =>
      db.query(`select action from audit_logs where target_id = $1 order by seq`, [id]),
    );
    expect(audit.rows.map((x) => x.action)).toEqual([
      'report_schedule.create',
      'report_schedule.update',
      'report_schedule.update',
      'report_schedule.update',
      'report_schedule.delete',
    ]);
  });

  const invalid: Array<[string, Record<string, unknown>]> = [
    ['a cron that is not one', { cron: 'every monday' }],
    ['a cron with six fields', { cron: '0 0 6 * * 1' }],
    ['a cron more often than hourly', { cron: '*/10 * * * *' }],
    ['an unknown time zone', { timezone: 'Europe/Atlantis' }],
    ['an offset instead of a zone', { timezone: '+02:00' }],
    ['a recipient that is not an email', { recipients: ['noc@customer.test', 'not an address'] }],
    ['more than 20 recipients', { recipients: Array.from({ length: 21 }, (_, i) => `r${i}@x.test`) }],
    ['an unknown period', { params: { period: 'year' } }],
    ['a device report without a device', { kind: 'device', params: { period: 'day' } }],
  ];
  for (const [what, over] of invalid)
    it(`422 validation_failed: ${what}`, async () => {
      const r = await admin().post(`${base}/report-schedules`, schedule(over));
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().code).toBe('validation_failed');
    });

  it('422 for a bad cron or zone on update too, and 404 for another organisation', async () => {
    const { id } = expectStatus<{ id: string }>(await admin().post(`${base}/report-schedules`, schedule()), 201);
    const bad = await admin().patch(`${base}/report-schedules/${id}`, { cron: '* * * * *' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('validation_failed');
    const b = apiAs(ctx, s, 'admin', s.b);
    const bBase = `/api/tenants/${s.b.id}`;
    expect((await b.get(`${bBase}/report-schedules/${id}`)).statusCode).toBe(404);
    expect((await b.patch(`${bBase}/report-schedules/${id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await b.delete(`${bBase}/report-schedules/${id}`)).statusCode).toBe(404);
    expect((await b.get(`${base}/report-schedules/${id}`)).statusCode).toBe(404);
    const theirDevice = await factories(ctx, s, s.b).device();
    const r = await admin().post(
      `${base}/report-schedules`,
      schedule({ kind: 'device', params: { period: 'day', device_id: theirDevice.id } }),
    );
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('report_device_not_found');
  });
});

describe('schedules: running them', () => {
  it('a run makes one report even when the schedule pass runs twice at once; the period ends at the run', async () => {
    const { id } = expectStatus<{ id: string }>(await admin().post(`${base}/report-schedules`, schedule()), 201);
    // Due since Monday 6 January 2025, 06:00 in Berlin (05:00 UTC).
    await dueAt(id, '2025-01-06T05:00:00Z');
    await Promise.all([run('reports.schedule'), run('reports.schedule'), run('reports.schedule')]);
    await run('reports.schedule');
    const rows = await reportsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'queued',
      kind: 'fleet',
      format: 'pdf',
      scheduled_for: new Date('2025-01-06T05:00:00Z'),
      params: { from: '2024-12-30T05:00:00.000Z', to: '2025-01-06T05:00:00.000Z', period: 'week' },
      requested_by: { type: 'schedule', id, label: 'Weekly fleet report' },
      email_to: ['noc@customer.test', 'boss@customer.test'],
    });
    // Missed runs are not made up one by one: the next run is the first after now.
    const after = expectStatus<{ next_run_at: string; last_report_id: string }>(
      await admin().get(`${base}/report-schedules/${id}`),
      200,
    );
    expect(new Date(after.next_run_at).getTime()).toBeGreaterThan(Date.now());
    expect(after.last_report_id).toBe(rows[0].id);

    // The same run again (a schedule moved back by hand) still makes no second report.
    await dueAt(id, '2025-01-06T05:00:00Z');
    await run('reports.schedule');
    expect(await reportsOf(id)).toHaveLength(1);
  });

  it('a disabled schedule does not run', async () => {
    const { id } = expectStatus<{ id: string }>(
      await admin().post(`${base}/report-schedules`, schedule({ enabled: false })),
      201,
    );
    await withSystem(ctx.pools.system, (db) =>
      db.query(`update report_schedules set next_run_at = now() - interval '1 hour' where id = $1`, [id]),
    );
    await run('reports.schedule');
    expect(await reportsOf(id)).toHaveLength(0);
  });
});

describe('schedules: the email', () => {
  /** A scheduled report, rendered: due, queued by the pass, rendered by the worker. */
  async function renderedRun(recipients: string[], format = 'pdf') {
    const { id } = expectStatus<{ id: string }>(
      await admin().post(`${base}/report-schedules`, schedule({ recipients, format })),
      201,
    );
    await dueAt(id, '2025-01-06T05:00:00Z');
    await run('reports.schedule');
    const [report] = await ctx.services.reports.runner.runOnce();
    expect(report).toMatchObject({ status: 'done', schedule_id: id });
    return report!;
  }

  it('is sent once, with the file attached, although two workers look for it at the same time', async () => {
    const to = ['ops1@customer.test', 'ops2@customer.test'];
    const report = await renderedRun(to);
    const second = otherMailer(ctx, smtp.port);
    try {
      await Promise.all([ctx.services.reports.mail.runOnce(), second.runOnce(), second.runOnce()]);
      await ctx.services.reports.mail.runOnce();
    } finally {
      second.close();
    }
    const mails = mailsTo('ops1@customer.test');
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to.sort()).toEqual([...to].sort());
    expect(mail.from).toBe('reports@msp.test');
    expect(mail.raw).toMatch(/Subject: Fleet summary report: Tenant a/);
    expect(mail.raw).toContain(`Message-ID: <report-${report.id}@tod.msp.test>`);
    const attached = attachmentOf(mail.raw);
    expect(attached?.fileName).toMatch(/\.pdf$/);
    expect(attached?.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = await apiAs(ctx, s, 'viewer').get(`${base}/reports/${report.id}/file`);
    expect(attached?.data.equals(file.rawPayload)).toBe(true);

    const item = expectStatus<{ email: Record<string, unknown> }>(
      await apiAs(ctx, s, 'viewer').get(`${base}/reports/${report.id}`),
      200,
    );
    expect(item.email).toMatchObject({ recipients: 2, emailed_at: expect.any(String), attempts: 1, error: null });
  });

  it('in the background: the worker renders the run and its sender mails it, with nobody asking', async () => {
    const { id } = expectStatus<{ id: string }>(
      await admin().post(`${base}/report-schedules`, schedule({ recipients: ['bg@customer.test'], format: 'csv' })),
      201,
    );
    await dueAt(id, '2025-01-06T05:00:00Z');
    const rendering = ctx.services.reports.runner.start();
    const mailing = ctx.services.reports.mail.start();
    try {
      await run('reports.schedule');
      const until = Date.now() + 20_000;
      while (mailsTo('bg@customer.test').length === 0 && Date.now() < until)
        await new Promise((ok) => setTimeout(ok, 100));
    } finally {
      await rendering.stop();
      await mailing.stop();
    }
    const [mail] = mailsTo('bg@customer.test');
    expect(attachmentOf(mail!.raw)?.fileName).toMatch(/\.csv$/);
    expect((await reportsOf(id))[0]).toMatchObject({ status: 'done', emailed_at: expect.any(Date) });
  });

  it('a sender that died mid-send leaves the email to another once its claim lapses, and it is sent once', async () => {
    const report = await renderedRun(['crash@customer.test']);
    // A worker claimed the email and died before the SMTP server took it.
    await withSystem(ctx.pools.system, (db) =>
      db.query(
        `update reports set email_claimed_by = 'dead-sender', email_claimed_until = now() + interval '1 hour',
                email_attempts = 1 where id = $1`,
        [report.id],
      ),
    );
    expect(await ctx.services.reports.mail.runOnce()).toEqual([]);
    expect(mailsTo('crash@customer.test')).toHaveLength(0);
    await withSystem(ctx.pools.system, (db) =>
      db.query(`update reports set email_claimed_until = now() - interval '1 second' where id = $1`, [report.id]),
    );
    await ctx.services.reports.mail.runOnce();
    await ctx.services.reports.mail.runOnce();
    expect(mailsTo('crash@customer.test')).toHaveLength(1);
  });

  it('a refusal that may pass (4xx) is retried later; the reason is kept until it goes through', async () => {
    const report = await renderedRun(['later@customer.test']);
    smtp.state.reject = 450;
    const [failed] = await ctx.services.reports.mail.runOnce();
    expect(failed).toMatchObject({ email_error: 'smtp_450', emailed_at: null, email_attempts: 1 });
    expect(failed!.email_after!.getTime()).toBeGreaterThan(Date.now() + 30_000);
    // Not due yet.
    expect(await ctx.services.reports.mail.runOnce()).toEqual([]);
    smtp.state.reject = null;
    await withSystem(ctx.pools.system, (db) =>
      db.query('update reports set email_after = now() where id = $1', [report.id]),
    );
    const [sent] = await ctx.services.reports.mail.runOnce();
    expect(sent).toMatchObject({ email_error: null, email_attempts: 2, emailed_at: expect.any(Date) });
    expect(mailsTo('later@customer.test')).toHaveLength(1);
  });

  it('a permanent refusal (5xx) is not retried, and the report says why', async () => {
    const report = await renderedRun(['gone@customer.test']);
    smtp.state.reject = 550;
    const [failed] = await ctx.services.reports.mail.runOnce();
    expect(failed).toMatchObject({ email_error: 'smtp_550', emailed_at: null, email_after: null });
    smtp.state.reject = null;
    expect(await ctx.services.reports.mail.runOnce()).toEqual([]);
    const item = expectStatus<{ email: Record<string, unknown> }>(
      await apiAs(ctx, s, 'viewer').get(`${base}/reports/${report.id}`),
      200,
    );
    expect(item.email).toMatchObject({ emailed_at: null, error: 'smtp_550' });
  });

  it('gives up after the last try', async () => {
    const report = await renderedRun(['flaky@customer.test']);
    smtp.state.reject = 421;
    const sender = otherMailer(ctx, smtp.port, { maxAttempts: 2, retryBaseMs: 1 });
    try {
      await sender.runOnce();
      await new Promise((ok) => setTimeout(ok, 20));
      const [last] = await sender.runOnce();
      expect(last).toMatchObject({ email_error: 'smtp_421', email_attempts: 2, email_after: null });
      expect(await sender.runOnce()).toEqual([]);
    } finally {
      sender.close();
    }
    expect(
      (await withSystem(ctx.pools.system, (db) => db.query('select 1 from reports where id = $1', [report.id])))
        .rowCount,
    ).toBe(1);
  });

  it('a report asked for by hand is never emailed', async () => {
    const asked = await apiAs(ctx, s, 'operator').post(`${base}/reports`, {
      kind: 'fleet',
      from: '2025-01-01T00:00:00Z',
      to: '2025-01-02T00:00:00Z',
    });
    expectStatus(asked, 202);
    await otherRunner(ctx).runOnce();
    const before = smtp.inbox.length;
    expect(await ctx.services.reports.mail.runOnce()).toEqual([]);
    expect(smtp.inbox.length).toBe(before);
  });
});

describe('retention', () => {
  it('the daily job deletes reports older than REPORT_RETENTION_DAYS, in every organisation', async () => {
    const old = await insertDoneReport(ctx, s.a.id, undefined, { created_at: new Date(Date.now() - 31 * 86_400_000) });
    const oldB = await insertDoneReport(ctx, s.b.id, undefined, { created_at: new Date(Date.now() - 45 * 86_400_000) });
    const recent = await insertDoneReport(ctx, s.a.id, undefined, {
      created_at: new Date(Date.now() - 29 * 86_400_000),
    });
    await run('reports.retention');
    const left = await withSystem(ctx.pools.system, async (db) =>
      (await db.query('select id from reports where id = any($1)', [[old.id, oldB.id, recent.id]])).rows.map(
        (r) => r.id,
      ),
    );
    expect(left).toEqual([recent.id]);
  });
});

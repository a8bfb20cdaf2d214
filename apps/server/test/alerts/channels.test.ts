import { createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeResults } from '../../src/features/ingest/ingest.batch.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { type Api, apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { insertDevice, pollResult } from '../helpers/poll-result.js';
import { type Seed, seed } from '../helpers/seed.js';
import { waitUntil } from './helpers.js';
import { type Receiver, startReceiver } from './receiver.js';

// Slack, Teams and email channels through the outbox (an alert fires, the sender delivers) to real receivers on
// loopback: an HTTP server and an SMTP server with a login.

let ctx: TestContext;
let s: Seed;
let admin: Api;
let base: string;
let http: Receiver;
let smtp: SMTPServer;
let smtpPort: number;
const inbox: Array<{ to: string[]; raw: string; user: unknown }> = [];
let sender: { stop: () => Promise<unknown> };

const freePort = () =>
  new Promise<number>((ok) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });

beforeAll(async () => {
  ctx = await createTestContext({ NOTIFY_RETRY_BASE_SECONDS: '1' });
  s = await seed(ctx);
  admin = apiAs(ctx, s, 'admin');
  base = `/api/tenants/${s.a.id}`;
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }));
  await withSystem(ctx.pools.system, (db) => db.query('delete from alert_rules'));
  http = await startReceiver();
  smtpPort = await freePort();
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'noc' && auth.password === 'smtp-secret-pw') return cb(null, { user: 'noc' });
      cb(new Error('bad login'));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, user: session.user });
        cb();
      });
    },
  });
  await new Promise<void>((ok) => smtp.listen(smtpPort, '127.0.0.1', () => ok()));
  sender = ctx.services.alerts.delivery.start(200);
}, 60_000);
afterAll(async () => {
  await sender?.stop();
  await http?.close();
  await new Promise((ok) => smtp?.close(() => ok(null)));
  await ctx?.close();
});

async function fire(name: string, channelIds: string[]) {
  const id = await insertDevice(ctx, s.a.id, name);
  expectStatus(
    await apiAs(ctx, s, 'operator').post(`${base}/alert-rules`, {
      name: `Hot ${name}`,
      metric: 'temperature',
      operator: '>',
      threshold: 60,
      severity: 'critical',
      scope: { kind: 'device', id },
      channel_ids: channelIds,
    }),
    201,
  );
  const r = pollResult(s.a.id, id, { temperature: 71 });
  await writeResults(ctx.pools.system, [r], [ctx.services.alerts.evaluator]);
  ctx.services.alerts.delivery.kick();
  return id;
}

const channel = async (body: Record<string, unknown>) =>
  expectStatus<{ id: string }>(
    await admin.post(`${base}/notification-channels`, {
      severities: ['critical'],
      template: null,
      enabled: true,
      ...body,
    }),
    201,
  ).id;

describe('channels deliver an alert to real receivers', () => {
  it('Slack: an incoming-webhook body with Block Kit blocks and a text fallback', async () => {
    const ch = await channel({ name: 'slack', kind: 'slack', config: { url: http.url('/slack') } });
    await fire('edge-slack', [ch]);
    const got = await waitUntil('slack message', async () => http.requests.find((q) => q.path === '/slack'));
    const body = got.json as { text: string; blocks: Array<{ type: string }> };
    expect(body.text).toContain('edge-slack');
    expect(body.text).toContain('71');
    expect(body.blocks.map((b) => b.type)).toContain('section');
    expect(JSON.stringify(body.blocks)).toContain('edge-slack');
  });

  it('Teams: a workflow-webhook message with an Adaptive Card carrying the facts', async () => {
    const ch = await channel({ name: 'teams', kind: 'teams', config: { url: http.url('/teams') } });
    await fire('edge-teams', [ch]);
    const got = await waitUntil('teams message', async () => http.requests.find((q) => q.path === '/teams'));
    const body = got.json as {
      type: string;
      attachments: Array<{ contentType: string; content: { type: string; body: unknown[] } }>;
    };
    expect(body.type).toBe('message');
    expect(body.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.attachments[0]?.content.type).toBe('AdaptiveCard');
    expect(JSON.stringify(body.attachments[0]?.content.body)).toContain('edge-teams');
  });

  it("email: through the channel's own SMTP server with its login, and a custom template", async () => {
    const ch = await channel({
      name: 'mail',
      kind: 'email',
      config: {
        to: ['noc@msp.test'],
        host: '127.0.0.1',
        port: smtpPort,
        username: 'noc',
        password: 'smtp-secret-pw',
        from: 'tod@msp.test',
      },
      template: 'ALERT {{severity}} on {{device.name}}: {{value}}',
    });
    await fire('edge-mail', [ch]);
    const mail = await waitUntil('an email', async () => inbox.find((m) => m.raw.includes('edge-mail')));
    expect(mail.to).toEqual(['noc@msp.test']);
    expect(mail.user).toBe('noc');
    expect(mail.raw.replace(/=\r?\n/g, '')).toMatch(/ALERT critical on edge-mail: 71/i);
  });

  it('a wrong SMTP password is a permanent failure, recorded with its reason and never retried', async () => {
    const ch = await channel({
      name: 'bad mail',
      kind: 'email',
      config: {
        to: ['noc@msp.test'],
        host: '127.0.0.1',
        port: smtpPort,
        username: 'noc',
        password: 'wrong-password-x',
        from: 'tod@msp.test',
      },
    });
    const device = await fire('edge-badmail', [ch]);
    const row = await waitUntil('failed delivery', async () => {
      const r = await ctx.pools.system.query<{ state: string; last_error: string; attempts: number }>(
        `select d.state, d.last_error, d.attempts from notification_deliveries d join alert_events a on a.id = d.alert_id where a.device_id = $1`,
        [device],
      );
      return r.rows[0]?.state === 'failed' ? r.rows[0] : null;
    });
    expect(row).toMatchObject({ last_error: 'smtp_auth_failed', attempts: 1 });
    expect(row.last_error).not.toContain('wrong-password');
  });

  it('retries a receiver that is down, then gives up once the bounded time has passed, keeping the reason', async () => {
    const closed = await freePort();
    const ch = await channel({ name: 'down', kind: 'webhook', config: { url: `http://127.0.0.1:${closed}/hook` } });
    const device = await fire('edge-down', [ch]);
    const row = () =>
      ctx.pools.system.query<{ id: string; state: string; last_error: string | null; attempts: number }>(
        `select d.id, d.state, d.last_error, d.attempts from notification_deliveries d join alert_events a on a.id = d.alert_id
          where a.device_id = $1`,
        [device],
      );
    const first = await waitUntil('a failed first attempt, to be retried', async () => {
      const r = (await row()).rows[0];
      return r?.state === 'pending' && r.attempts >= 1 ? r : null;
    });
    expect(first.last_error).toBe('connection_refused');
    // The give-up time comes (NOTIFY_GIVE_UP_HOURS after the transition): the next failure is the last.
    await ctx.pools.system.query('update notification_deliveries set give_up_at = now() where id = $1', [first.id]);
    const last = await waitUntil('given up', async () => {
      const r = (await row()).rows[0];
      return r?.state === 'failed' ? r : null;
    });
    expect(last.last_error).toBe('connection_refused');
    expect(last.attempts).toBeGreaterThan(first.attempts);
  });
});

import { pino } from 'pino';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver } from '../../../src/features/alerts/notify/send.js';
import type { ChannelTarget } from '../../../src/features/alerts/notify/types.js';
import { createSmtpMailer } from '../../../src/platform/mail/mailer.js';
import { freePort } from '../../global-setup.js';
import { NOW, notice } from './fixtures.js';

// Email channels against real SMTP servers on loopback: one that demands a login, one that takes anyone.

type Received = { from: string; to: string[]; raw: string; user?: string };
let inbox: Received[] = [];
let reject: { code: number; message: string } | null = null;
const servers: SMTPServer[] = [];
let authPort: number;
let openPort: number;

async function start(options: SMTPServerOptions): Promise<number> {
  const port = await freePort();
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onRcptTo(_address, _session, cb) {
      if (!reject) return cb();
      cb(Object.assign(new Error(reject.message), { responseCode: reject.code }));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => {
        raw += c.toString('utf8');
      });
      stream.on('end', () => {
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          user: session.user as string | undefined,
        });
        cb();
      });
    },
    ...options,
  });
  servers.push(smtp);
  await new Promise<void>((r) => smtp.listen(port, '127.0.0.1', () => r()));
  return port;
}

/** The message as text: quoted-printable soft breaks joined and `=3D` decoded. */
const flat = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

beforeAll(async () => {
  authPort = await start({
    authOptional: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'alerts' && auth.password === 'smtp-pw-1') return cb(null, { user: auth.username });
      cb(new Error('bad credentials'));
    },
  });
  openPort = await start({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'] });
});
afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
});
beforeEach(() => {
  inbox = [];
  reject = null;
});

const channel = (o: Partial<Extract<ChannelTarget, { kind: 'email' }>> = {}): ChannelTarget => ({
  kind: 'email',
  to: ['noc@acme.test', 'oncall@acme.test'],
  host: '127.0.0.1',
  port: authPort,
  username: 'alerts',
  password: 'smtp-pw-1',
  use_tls: false,
  template: null,
  ...o,
});
const deps = { now: () => NOW, systemFrom: 'tod@msp.test' };

describe("the channel's own SMTP server", () => {
  it('logs in and sends to every recipient, the HTML escaped', async () => {
    const n = notice({ device: { id: 'd', name: '<script>alert(1)</script>', host: '10.0.0.1' } });
    expect(await deliver(channel({ from: 'alerts@acme.test' }), n, deps)).toEqual({ ok: true });
    expect(inbox).toHaveLength(1);
    const m = inbox[0]!;
    expect(m.user).toBe('alerts');
    expect(m.from).toBe('alerts@acme.test');
    expect(m.to).toEqual(['noc@acme.test', 'oncall@acme.test']);
    const raw = flat(m.raw);
    expect(raw).toContain('Content-Type: text/html');
    expect(raw).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    // The only raw <script> is in the plain-text part, and in the subject line.
    const html = raw.slice(raw.indexOf('Content-Type: text/html'));
    expect(html).not.toContain('<script>');
    expect(raw).toContain('<a href="https://tod.example/alerts/alert-1">Open in TOD</a>');
  });

  it("sends without a login to a server that takes anyone; the sender defaults to TOD's", async () => {
    const o = await deliver(channel({ port: openPort, username: undefined, password: undefined }), notice(), deps);
    expect(o).toEqual({ ok: true });
    expect(inbox[0]!.user).toBeUndefined();
    expect(inbox[0]!.from).toBe('tod@msp.test');
    expect(flat(inbox[0]!.raw)).toMatch(/Subject: \[CRITICAL\] CPU load 95% > 90% on core-router-1 \(Acme\)/);
  });

  it('a refused login is final and says nothing of the password', async () => {
    const o = await deliver(channel({ password: 'wrong-pw-xyz' }), notice(), deps);
    expect(o).toEqual({ ok: false, retryable: false, reason: 'smtp_auth_failed' });
    expect(JSON.stringify(o)).not.toContain('wrong-pw-xyz');
    expect(inbox).toHaveLength(0);
  });

  it('an SMTP 4xx is worth another try; a 5xx is not', async () => {
    reject = { code: 451, message: 'try later' };
    expect(await deliver(channel(), notice(), deps)).toEqual({ ok: false, retryable: true, reason: 'smtp_451' });
    reject = { code: 550, message: 'no such user' };
    expect(await deliver(channel(), notice(), deps)).toEqual({ ok: false, retryable: false, reason: 'smtp_550' });
    expect(inbox).toHaveLength(0);
  });

  it('a refused connection is worth another try', async () => {
    const o = await deliver(channel({ port: await freePort() }), notice(), deps);
    expect(o).toEqual({ ok: false, retryable: true, reason: 'connection_refused' });
  });
});

describe("TOD's own SMTP", () => {
  it('sends through the system mailer when the channel names no server', async () => {
    const systemMailer = createSmtpMailer(
      { host: '127.0.0.1', port: openPort, startTls: false, from: 'system@msp.test' },
      pino({ level: 'silent' }),
    );
    try {
      const o = await deliver(channel({ host: undefined, port: undefined }), notice({ test: true }), {
        ...deps,
        systemMailer,
      });
      expect(o).toEqual({ ok: true });
      expect(inbox[0]!.from).toBe('system@msp.test');
      expect(inbox[0]!.to).toEqual(['noc@acme.test', 'oncall@acme.test']);
      expect(flat(inbox[0]!.raw)).toContain('Subject: [TEST] [CRITICAL]');
    } finally {
      systemMailer.close();
    }
  });

  it('without one, an email channel with no server cannot send', async () => {
    const o = await deliver(channel({ host: undefined }), notice(), deps);
    expect(o).toEqual({ ok: false, retryable: false, reason: 'email_not_configured' });
  });
});

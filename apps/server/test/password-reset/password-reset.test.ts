import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../src/platform/db/tx.js';
import { freePort } from '../global-setup.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

// "Forgot password" against a real SMTP server on loopback (smtp-server speaks the protocol; nodemailer sends).

type Received = { from: string; to: string[]; raw: string; user?: string };
let smtp: SMTPServer;
let inbox: Received[] = [];
let ctx: TestContext;
let s: Seed;

async function nextMail(to: string, ms = 10_000): Promise<Received> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const m = inbox.find((x) => x.to.includes(to));
    if (m) return m;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no mail for ${to}`);
}
/** The token from the link in a (quoted-printable or plain) text body. */
const tokenIn = (raw: string) => {
  const flat = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  return /\/reset-password#token=([A-Za-z0-9_-]+)/.exec(flat)?.[1];
};
const forgot = (email: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email } });
const reset = (token: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token } });

beforeAll(async () => {
  const port = await freePort();
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'tod' && auth.password === 'smtp-secret-1') return cb(null, { user: auth.username });
      cb(new Error('bad smtp credentials'));
    },
    allowInsecureAuth: true,
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
  });
  await new Promise<void>((r) => smtp.listen(port, '127.0.0.1', () => r()));
  ctx = await createTestContext({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(port),
    SMTP_USER: 'tod',
    SMTP_PASSWORD: 'smtp-secret-1',
    SMTP_FROM_ADDRESS: 'tod@msp.test',
    APP_BASE_URL: 'https://tod.msp.test',
  });
  s = await seed(ctx);
});
afterAll(async () => {
  await ctx?.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

describe('forgot password', () => {
  it('the sign-in page learns that reset by email is available', async () => {
    const r = await ctx.app.inject({ url: '/api/auth/options' });
    expect(r.json()).toEqual({ password_reset_email: true });
  });

  it('mails a single-use link that opens an enrol-only session', async () => {
    const email = s.a.users.viewer.email;
    const r = await forgot(email.toUpperCase());
    expect(r.statusCode).toBe(202);
    const mail = await nextMail(email);
    expect(mail.from).toBe('tod@msp.test');
    expect(mail.user).toBe('tod'); // TOD authenticated to the SMTP server
    expect(mail.raw).toMatch(/Subject: Reset your TOD/);
    const token = tokenIn(mail.raw);
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(mail.raw).toContain('https://tod.msp.test/reset-password#token=');

    const ok = await reset(token!);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(String(ok.headers['set-cookie'])).toContain('tod_access=');
    const me = await ctx.app.inject({
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${ok.json().access_token}` },
    });
    expect(me.json()).toMatchObject({ email, session_scope: 'enrol' });

    const again = await reset(token!);
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('reset_link_invalid');
    // The token is stored only as a hash, and never lands in the audit trail.
    const dump = await withSystem(ctx.pools.system, async (db) =>
      JSON.stringify([
        (await db.query('select * from audit_logs')).rows,
        (await db.query(`select encode(token_hash, 'hex') h from password_reset_tokens`)).rows,
      ]),
    );
    expect(dump).not.toContain(token!);
  });

  it('answers 202 and sends nothing for an unknown or disabled account', async () => {
    inbox = [];
    expect((await forgot('nobody@nowhere.test')).statusCode).toBe(202);
    const disabled = s.a.users.operator;
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/tenants/${s.a.id}/users/${disabled.id}`,
      headers: headersFor(s, 'super_admin'),
      payload: { is_active: false },
    });
    expect((await forgot(disabled.email)).statusCode).toBe(202);
    await ctx.services.passwordReset.drain();
    expect(inbox).toEqual([]);
  });

  it('a link expires after its time and a newer request spends the older link', async () => {
    const email = s.a.users.admin.email;
    await forgot(email);
    const first = tokenIn((await nextMail(email)).raw)!;
    inbox = [];
    await forgot(email);
    const second = tokenIn((await nextMail(email)).raw)!;
    expect((await reset(first)).statusCode).toBe(400);
    await withSystem(ctx.pools.system, (db) =>
      db.query(`update password_reset_tokens set expires_at = now() - interval '1 second' where used_at is null`),
    );
    expect((await reset(second)).statusCode).toBe(400);
  });

  it('bad input gets a clear 422', async () => {
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token: 'x' } })).statusCode,
    ).toBe(422);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: {} })).statusCode).toBe(
      422,
    );
  });
});

describe('without SMTP', () => {
  it('says so: options false, forgot-password 503 email_not_configured', async () => {
    const plain = await createTestContext();
    try {
      expect((await plain.app.inject({ url: '/api/auth/options' })).json()).toEqual({ password_reset_email: false });
      const r = await plain.app.inject({
        method: 'POST',
        url: '/api/auth/forgot-password',
        payload: { email: 'a@b.test' },
      });
      expect(r.statusCode).toBe(503);
      expect(r.json().code).toBe('email_not_configured');
    } finally {
      await plain.close();
    }
  });
});

import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/log/logger.js';
import { postgresCheck } from '../../src/platform/readiness.js';
import { createHttpServer } from '../../src/runtime/http.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx?.close());

describe('logs', () => {
  it('are JSON with request ids, and never carry credentials', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ level: 'debug', destination: sink });
    const app = await createHttpServer({
      config: ctx.config,
      log,
      services: ctx.services,
      readiness: [postgresCheck(ctx.pools.app)],
    });
    await app.inject({
      url: '/api/auth/me',
      headers: {
        authorization: 'Bearer secret-bearer-token',
        cookie: 'tod_access=secret-cookie-token',
        'x-request-id': 'log-test-1',
      },
    });
    await app.inject({
      url: '/api/auth/me',
      headers: { 'x-api-key': 'mktp_secretsecretsecretsecretsecretsecretsecret1' },
    });
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'a@b.test', password: 'secret-password-in-body' },
    });
    // The terminal's WebSocket token travels in the URL.
    await app.inject({ url: '/ws/ssh?token=secret-ws-token-in-url&cols=80' });
    log.info({ user: { email: 'x@y', password: 'hunter22-secret' }, token: 'secret-token-field' }, 'direct');
    await app.close();
    const text = lines.join('');
    for (const secret of [
      'secret-bearer-token',
      'secret-cookie-token',
      'mktp_secret',
      'secret-password-in-body',
      'hunter22-secret',
      'secret-token-field',
      'secret-ws-token-in-url',
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.some((l) => l.reqId === 'log-test-1')).toBe(true);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config/config.js';
import { buildHttpApp } from '../../src/platform/http/app.js';
import { createMetricsRegistry } from '../../src/platform/http/metrics.js';
import { startMetricsServer } from '../../src/platform/http/metrics-server.js';
import { freePort } from '../global-setup.js';
import { spawnTod } from '../helpers/cli.js';
import { TEST_DB_PASSWORDS } from '../helpers/constants.js';
import { createTestContext } from '../helpers/context.js';
import { createTestDatabase } from '../helpers/database.js';

// /metrics tells anyone who can read it how busy TOD is, which routes exist and which fail. In production it is
// served on METRICS_PORT (loopback unless METRICS_HOST says otherwise), and on the public port only to holders of
// METRICS_TOKEN. Outside production it stays where it was.

const PROD_SECRETS = {
  JWT_SECRET_KEY: 'k7Qz2vX9pL4mN8rT1wY6bC3dF5gH0jS2aE7uI9oP4lK',
  CREDENTIAL_ENCRYPTION_KEY: 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=',
};
const TOKEN = 'Zt7Kq2Lm9Vx4Rp8Nw3Hs6Jd1Fb5Gc0Ya';
const tmp = () => mkdtempSync(join(tmpdir(), 'tod-metrics-cfg-'));
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('configuration', () => {
  const base = { TOD_DATA_DIR: tmp(), ...PROD_SECRETS };
  it('binds the metrics listener to loopback in production, to HOST elsewhere, or to METRICS_HOST', () => {
    expect(loadConfig({ ...base, ENVIRONMENT: 'production', HOST: '0.0.0.0' }).metricsHost).toBe('127.0.0.1');
    expect(loadConfig({ ...base, ENVIRONMENT: 'dev', HOST: '0.0.0.0' }).metricsHost).toBe('0.0.0.0');
    expect(loadConfig({ ...base, ENVIRONMENT: 'production', METRICS_HOST: '10.1.2.3' }).metricsHost).toBe('10.1.2.3');
  });

  it('refuses a short or known-insecure METRICS_TOKEN', () => {
    expect(() => loadConfig({ ...base, METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ ...base, ENVIRONMENT: 'production', METRICS_TOKEN: 'change-me-change-me-change-me' }),
    ).toThrow(/METRICS_TOKEN/);
  });
});

describe('/metrics on the public port', () => {
  it('is not served in production without a token (404), while /health is', async () => {
    const prod = await createTestContext({ ENVIRONMENT: 'production', ...PROD_SECRETS });
    try {
      const r = await prod.app.inject({ url: '/metrics' });
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain('process_cpu');
      expect(r.json().code).toBe('not_found');
      expect((await prod.app.inject({ url: '/health' })).statusCode).toBe(200);
    } finally {
      await prod.close();
    }
  });

  it('is served as before outside production', async () => {
    const dev = await createTestContext();
    try {
      const r = await dev.app.inject({ url: '/metrics' });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('process_cpu_user_seconds_total');
    } finally {
      await dev.close();
    }
  });

  it('with a token: 401 without it or with another, 200 with it (production)', async () => {
    const app: FastifyInstance = await buildHttpApp({
      log: pino({ level: 'silent' }),
      version: 'test',
      production: true,
      docsUi: false,
      corsOrigins: [],
      bodyLimit: 1 << 20,
      trustProxy: false,
      metrics: createMetricsRegistry(),
      metricsToken: TOKEN,
      authenticate: async () => undefined,
      tenantExists: async () => false,
      routes: async () => {},
    });
    try {
      const none = await app.inject({ url: '/metrics' });
      expect(none.statusCode).toBe(401);
      expect(none.json().code).toBe('not_authenticated');
      expect(none.headers['www-authenticate']).toBe('Bearer');
      expect(none.body).not.toContain('process_cpu');
      for (const wrong of [`${TOKEN}x`, TOKEN.slice(0, -1), TOKEN.toLowerCase(), ''])
        expect((await app.inject({ url: '/metrics', headers: bearer(wrong) })).statusCode).toBe(401);
      const ok = await app.inject({ url: '/metrics', headers: bearer(TOKEN) });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('process_cpu_user_seconds_total');
    } finally {
      await app.close();
    }
  });
});

describe('the metrics listener (METRICS_PORT)', () => {
  it('answers on loopback, and asks for the token when one is set', async () => {
    const config = loadConfig({ TOD_DATA_DIR: tmp(), ENVIRONMENT: 'production', ...PROD_SECRETS });
    const open = await startMetricsServer({
      registry: createMetricsRegistry(),
      port: 0,
      host: config.metricsHost,
      version: 'test',
    });
    const guarded = await startMetricsServer({
      registry: createMetricsRegistry(),
      port: 0,
      host: config.metricsHost,
      version: 'test',
      token: TOKEN,
    });
    try {
      const r = await fetch(`http://127.0.0.1:${open.port}/metrics`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('process_cpu_user_seconds_total');
      const url = `http://127.0.0.1:${guarded.port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: bearer('not-the-token-at-all-000000') })).status).toBe(401);
      expect((await fetch(url, { headers: bearer(TOKEN) })).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${guarded.port}/health`)).status).toBe(200);
    } finally {
      await open.stop();
      await guarded.stop();
    }
  });

  it('a production api process: no /metrics on PORT, /metrics on METRICS_PORT at loopback', async () => {
    const db = await createTestDatabase();
    const [port, metricsPort] = [await freePort(), await freePort()];
    const child = spawnTod(['start', '--roles', 'api'], {
      ENVIRONMENT: 'production',
      ...PROD_SECRETS,
      DATABASE_URL: db.ownerUrl,
      DB_APP_PASSWORD: TEST_DB_PASSWORDS.app,
      DB_SYSTEM_PASSWORD: TEST_DB_PASSWORDS.system,
      TOD_DATA_DIR: tmp(),
      PORT: String(port),
      HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'warn',
    });
    child.stdout!.resume();
    child.stderr!.resume();
    try {
      const until = Date.now() + 30_000;
      let up = false;
      while (!up && Date.now() < until) {
        up = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (!up) await new Promise((r) => setTimeout(r, 200));
      }
      expect(up).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      const m = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(m.status).toBe(200);
      expect(await m.text()).toContain('http_requests_total');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))).toBe(0);
    await db.drop();
  });
});

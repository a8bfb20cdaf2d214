import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../global-setup.js';
import { runTod, spawnTod } from '../helpers/cli.js';
import { TEST_DB_PASSWORDS } from '../helpers/constants.js';
import { createTestDatabase } from '../helpers/database.js';

async function waitFor(url: string, ms = 20_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok) return r;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

describe('tod start and stop (real process, real socket)', () => {
  it('bootstraps the first admin, serves requests, and shuts down cleanly on SIGTERM', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const env = {
      DATABASE_URL: db.ownerUrl,
      DB_APP_PASSWORD: TEST_DB_PASSWORDS.app,
      DB_SYSTEM_PASSWORD: TEST_DB_PASSWORDS.system,
      TOD_DATA_DIR: mkdtempSync(join(tmpdir(), 'tod-life-')),
      PORT: String(port),
      HOST: '127.0.0.1',
      FIRST_ADMIN_EMAIL: 'first@tod.test',
      FIRST_ADMIN_PASSWORD: 'first-admin-password',
      LOG_LEVEL: 'info',
    };
    const child = spawnTod(['start', '--roles', 'api,worker,poller'], env);
    let logs = '';
    child.stdout!.on('data', (d) => (logs += d));
    child.stderr!.on('data', (d) => (logs += d));
    try {
      const health = (await (await waitFor(`http://127.0.0.1:${port}/health`)).json()) as { status: string };
      expect(health.status).toBe('ok');
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'first@tod.test', password: 'first-admin-password' }),
      });
      expect(login.status).toBe(200);
      const me = await fetch(`http://127.0.0.1:${port}/api/auth/me`, {
        headers: { authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` },
      });
      expect(await me.json()).toMatchObject({ role: 'super_admin', must_upgrade_auth: true, tenant_id: null });
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(logs).toContain('shutting down');
    expect(logs).not.toContain('first-admin-password');
    // The poller deregistered; the worker claimed its schedule exactly once.
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: db.ownerUrl });
    await c.connect();
    expect((await c.query('select count(*)::int as n from pollers')).rows[0].n).toBe(0);
    expect(
      (await c.query("select last_owner from schedules where name = 'auth.cleanup_sessions'")).rows[0].last_owner,
    ).toBeTruthy();
    await c.end();
    await db.drop();
  });

  it('a SIGTERM while it is still starting stops it cleanly (exit 0), never half-way', async () => {
    const db = await createTestDatabase();
    const child = spawnTod(['start', '--roles', 'api,worker'], {
      DATABASE_URL: db.ownerUrl,
      DB_APP_PASSWORD: TEST_DB_PASSWORDS.app,
      DB_SYSTEM_PASSWORD: TEST_DB_PASSWORDS.system,
      TOD_DATA_DIR: mkdtempSync(join(tmpdir(), 'tod-early-')),
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    let logs = '';
    child.stdout!.on('data', (d) => (logs += d));
    child.stderr!.on('data', (d) => (logs += d));
    // As soon as it logs anything (it is migrating), well before it serves.
    await new Promise<void>((r) => child.stdout!.once('data', () => r()));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code, logs).toBe(0);
    expect(logs).toContain('shutting down');
    await db.drop();
  });

  it('create-admin makes a user that can sign in, reading the password from stdin', async () => {
    const db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.ownerUrl,
      DB_APP_PASSWORD: TEST_DB_PASSWORDS.app,
      DB_SYSTEM_PASSWORD: TEST_DB_PASSWORDS.system,
      TOD_DATA_DIR: mkdtempSync(join(tmpdir(), 'tod-ca-')),
      LOG_LEVEL: 'silent',
    };
    const ok = await runTod(['create-admin', '--email', 'ops@tod.test'], env, 'a-very-long-password\n');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('created super_admin ops@tod.test');
    const again = await runTod(['create-admin', '--email', 'ops@tod.test'], env, 'a-very-long-password\n');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists');
    const short = await runTod(['create-admin', '--email', 'x@tod.test'], env, 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('12 characters');
    await db.drop();
  });

  it('a process without the api role serves /metrics and /health on METRICS_PORT', async () => {
    const db = await createTestDatabase();
    const metricsPort = await freePort();
    const child = spawnTod(['start', '--roles', 'poller,worker'], {
      DATABASE_URL: db.ownerUrl,
      DB_APP_PASSWORD: TEST_DB_PASSWORDS.app,
      DB_SYSTEM_PASSWORD: TEST_DB_PASSWORDS.system,
      TOD_DATA_DIR: mkdtempSync(join(tmpdir(), 'tod-metrics-')),
      METRICS_PORT: String(metricsPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    child.stdout!.resume();
    child.stderr!.resume();
    try {
      await waitFor(`http://127.0.0.1:${metricsPort}/health`);
      const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(body).toContain('process_cpu_user_seconds_total');
      expect(body).toContain('mikrotik_devices_active');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/api/tenants`)).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))).toBe(0);
    await db.drop();
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, enrol, formatSecretKey, newSecretKey, signInProof } from '@tod/srp';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort } from '../global-setup.js';
import { spawnTod } from '../helpers/cli.js';
import { TEST_DB_PASSWORDS } from '../helpers/constants.js';
import { createTestDatabase } from '../helpers/database.js';

// Issue 6 acceptance: after enrolment, sign-ins, a failed sign-in and a password change against a real `tod`
// process logging at trace level, neither its logs nor any table holds the password or the Secret Key.

const EMAIL = 'zk.admin@tod.test';
const BOOTSTRAP = 'bootstrap-password-123';
const PASSWORD = 'zero knowledge passphrase one';
const NEXT = 'zero knowledge passphrase two';

describe('zero knowledge, end to end over HTTP', () => {
  it('no password or Secret Key in logs or database', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const child = spawnTod(['start', '--roles', 'api'], {
      DATABASE_URL: db.ownerUrl,
      DB_APP_PASSWORD: TEST_DB_PASSWORDS.app,
      DB_SYSTEM_PASSWORD: TEST_DB_PASSWORDS.system,
      TOD_DATA_DIR: mkdtempSync(join(tmpdir(), 'tod-zk-')),
      PORT: String(port),
      HOST: '127.0.0.1',
      FIRST_ADMIN_EMAIL: EMAIL,
      FIRST_ADMIN_PASSWORD: BOOTSTRAP,
      LOG_LEVEL: 'trace',
    });
    let logs = '';
    child.stdout!.on('data', (d) => (logs += d));
    child.stderr!.on('data', (d) => (logs += d));
    const base = `http://127.0.0.1:${port}`;
    const json = async (path: string, body: unknown, token?: string) => {
      const r = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, data: text ? JSON.parse(text) : null };
    };
    const key = newSecretKey();
    try {
      for (let i = 0; i < 100; i++) {
        if (
          await fetch(`${base}/health`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const login = await json('/api/auth/login', { email: EMAIL, password: BOOTSTRAP });
      expect(login.status).toBe(200);
      const reg = await json(
        '/api/auth/register-srp',
        await enrol({ email: EMAIL, password: PASSWORD, secretKey: key }),
        login.data.access_token,
      );
      expect(reg.status).toBe(204);

      const signIn = async (password: string, k: Uint8Array) => {
        const init = await json('/api/auth/srp/init', { email: EMAIL });
        const p = await signInProof({ email: EMAIL, password, secretKey: k, init: init.data });
        return {
          init,
          p,
          out: await json('/api/auth/srp/verify', { session_id: init.data.session_id, A: p.A, M1: p.M1 }),
        };
      };
      expect((await signIn(PASSWORD, newSecretKey())).out.status).toBe(401);
      const ok = await signIn(PASSWORD, key);
      expect(ok.out.status).toBe(200);
      const token = ok.out.data.access_token as string;

      const init = await json('/api/auth/srp/init', { email: EMAIL });
      const proof = await signInProof({ email: EMAIL, password: PASSWORD, secretKey: key, init: init.data });
      const change = await json(
        '/api/auth/register-srp',
        {
          ...(await enrol({ email: EMAIL, password: NEXT, secretKey: key })),
          proof: { session_id: init.data.session_id, A: proof.A, M1: proof.M1 },
        },
        token,
      );
      expect(change.status).toBe(204);
      expect((await signIn(NEXT, key)).out.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);

    const c = new pg.Client({ connectionString: db.ownerUrl });
    await c.connect();
    const tables = (
      await c.query<{ t: string }>(`select tablename t from pg_tables where schemaname = 'public'`)
    ).rows.map((r) => r.t);
    let dump = '';
    for (const t of tables)
      dump += JSON.stringify((await c.query(`select * from "${t}"`)).rows, (_k, v) =>
        v?.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v,
      );
    await c.end();
    await db.drop();

    expect(logs.length).toBeGreaterThan(1000); // trace logging really ran
    expect(dump).toContain('srp'); // the dump really holds the auth tables
    const secretKeyForms = [
      formatSecretKey(key),
      formatSecretKey(key).replaceAll('-', ''),
      bytesToHex(key),
      Buffer.from(key).toString('base64'),
    ];
    for (const needle of [PASSWORD, NEXT, BOOTSTRAP, ...secretKeyForms]) {
      expect(logs, `logs hold ${needle}`).not.toContain(needle);
      expect(dump, `database holds ${needle}`).not.toContain(needle);
    }
  });
});

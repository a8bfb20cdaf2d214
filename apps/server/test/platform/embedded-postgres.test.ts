import type { ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { type EmbeddedPgError, startEmbeddedPostgres } from '../../src/platform/db/embedded.js';
import { packagedBinDir } from '../../src/platform/db/embedded-layout.js';
import { lockDataDir } from '../../src/platform/db/embedded-lock.js';
import { commandLine, processAlive, processStartTime } from '../../src/platform/db/embedded-process.js';
import { freePort } from '../global-setup.js';
import { runTod, spawnTod } from '../helpers/cli.js';

// mkdtemp makes 0700 folders: open them up, or the postgres user (as root) could not reach what is inside.
const scratch = mkdtempSync(join(tmpdir(), 'tod-embedded-'));
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const newDir = (name: string) => {
  const dir = mkdtempSync(join(scratch, `${name}-`));
  chmodSync(dir, 0o755);
  return dir;
};
const asRoot = process.getuid?.() === 0;

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

function logCollector() {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
  return { log, text: () => lines.join('') };
}

/** Collects a spawned tod's output and resolves when a line contains `text` (rejects if it exits first). */
function watch(child: ChildProcess) {
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const until = (text: string, ms = 90_000) =>
    new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const tick = setInterval(() => {
        if (out.includes(text)) done();
        else if (child.exitCode !== null || Date.now() - t0 > ms) done(new Error(`no "${text}" in:\n${out}`));
      }, 100);
      const done = (err?: Error) => {
        clearInterval(tick);
        if (err) reject(err);
        else resolve();
      };
    });
  return { output: () => out, exit, until };
}

const postmasterPid = (cluster: string) => Number(readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('the data directory lock (tod.pid)', () => {
  it('is taken with pid and start time, refused while its holder lives, and removed on release', () => {
    const dir = newDir('lock');
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, 'tod.pid'), 'utf8').trim()).toBe(`${process.pid} ${processStartTime(process.pid)}`);
    const refused = (() => {
      try {
        lockDataDir(dir);
      } catch (err) {
        return err as EmbeddedPgError;
      }
    })();
    expect(refused?.code).toBe('embedded_pg_in_use');
    expect(refused?.message).toContain(
      `TOD data directory ${dir} is in use by another running tod (pid ${process.pid})`,
    );
    lock.release();
    expect(existsSync(join(dir, 'tod.pid'))).toBe(false);
  });

  it('takes over a lock whose holder died, or whose pid now names another process', () => {
    const dir = newDir('stale');
    writeFileSync(join(dir, 'tod.pid'), '999999999 12345\n');
    lockDataDir(dir).release();
    // Our own pid with another start time: the pid was reused after the holder died.
    writeFileSync(join(dir, 'tod.pid'), `${process.pid} 1\n`);
    lockDataDir(dir).release();
    expect(existsSync(join(dir, 'tod.pid'))).toBe(false);
  });
});

describe('embedded PostgreSQL port', () => {
  it('a taken EMBEDDED_PG_PORT stops tod with one sentence naming the port and the fix', async () => {
    const port = await freePort();
    const blocker = await listen(port);
    try {
      const r = await runTod(['migrate'], {
        TOD_DATA_DIR: newDir('port'),
        EMBEDDED_PG_PORT: String(port),
        LOG_LEVEL: 'warn',
      });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(
        `tod: embedded PostgreSQL cannot listen on 127.0.0.1:${port} (EMBEDDED_PG_PORT): another program uses that port; stop it, or set EMBEDDED_PG_PORT to a free port`,
      );
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('without EMBEDDED_PG_PORT, a taken default makes it choose a free port and keep it', async () => {
    const dataDir = newDir('default-port');
    const defaultPort = await freePort();
    const blocker = await listen(defaultPort);
    const { log, text } = logCollector();
    const base = { dataDir, password: 'embedded-test-pw', log, defaultPort, fallbackRoot: join(scratch, 'unused') };
    let chosen: number;
    try {
      const db = await startEmbeddedPostgres(base);
      chosen = db.port;
      expect(chosen).not.toBe(defaultPort);
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      expect((await c.query('select current_database() as d')).rows[0].d).toBe('tod');
      await c.end();
      await db.stop();
    } finally {
      blocker.close();
    }
    expect(text()).toContain(`port ${defaultPort} is in use, so the embedded PostgreSQL listens on ${chosen}`);
    expect(JSON.parse(readFileSync(join(dataDir, 'embedded-postgres.json'), 'utf8'))).toEqual({ port: chosen });
    // The default is free again, but the remembered port is kept: nothing has to change for anyone using it.
    const again = await startEmbeddedPostgres(base);
    expect(again.port).toBe(chosen);
    await again.stop();
  }, 120_000);
});

describe.skipIf(!asRoot)('embedded PostgreSQL as root, in folders the postgres user cannot reach', () => {
  it('runs from a copy of the binaries, with its cluster in a reachable place the data directory remembers', async () => {
    // The usual `/root/tod`: both the checkout (binaries) and the data directory sit under a 0700 folder.
    const root = newDir('private');
    const privateDir = join(root, 'root');
    mkdirSync(privateDir, { mode: 0o700 });
    const packaged = await packagedBinDir();
    const native = join(privateDir, 'tod', 'native');
    cpSync(dirname(packaged.bin), native, { recursive: true, verbatimSymlinks: true });
    const dataDir = join(privateDir, 'tod', 'data');
    const fallbackRoot = join(root, 'var-lib-tod');
    const { log, text } = logCollector();
    const opts = {
      dataDir,
      password: 'embedded-test-pw',
      log,
      port: await freePort(),
      binDir: join(native, 'bin'),
      fallbackRoot,
    };
    const db = await startEmbeddedPostgres(opts);
    const { location } = JSON.parse(readFileSync(join(dataDir, 'embedded-postgres.json'), 'utf8'));
    expect(dirname(location)).toBe(fallbackRoot);
    const pid = postmasterPid(join(location, 'postgres'));
    expect(commandLine(pid)?.[0]).toBe(join(location, `postgres-bin-${packaged.version}`, 'bin', 'postgres'));
    expect(text()).toContain(`user postgres cannot reach ${dataDir}, so the embedded PostgreSQL lives in ${location}`);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    expect((await c.query('select 1 as one')).rows[0].one).toBe(1);
    await c.end();
    await db.stop();
    // The next start finds it again.
    const again = await startEmbeddedPostgres(opts);
    expect(postmasterPid(join(location, 'postgres'))).not.toBe(pid);
    await again.stop();
  }, 120_000);
});

describe('a tod killed with SIGKILL (real processes)', () => {
  it('leaves its PostgreSQL running; the next start stops that orphan and comes up; a second live tod is refused', async () => {
    const dataDir = newDir('orphan');
    const cluster = join(dataDir, 'postgres');
    const env = async () => ({
      TOD_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      METRICS_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    const pgPort = await freePort();

    const first = spawnTod(['start', '--roles', 'worker'], await env());
    const firstOut = watch(first);
    await firstOut.until('TOD started');

    // A second tod on the same data directory, while the first lives: refused, exit 1, one sentence.
    const second = await runTod(['start', '--roles', 'worker'], await env());
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(
      `tod: TOD data directory ${dataDir} is in use by another running tod (pid ${first.pid}); stop that one first, or give this one another TOD_DATA_DIR`,
    );

    const orphan = postmasterPid(cluster);
    first.kill('SIGKILL');
    await firstOut.exit;
    await new Promise((r) => setTimeout(r, 500));
    expect(processAlive(orphan)).toBe(true);

    const third = spawnTod(['start', '--roles', 'worker'], await env());
    const thirdOut = watch(third);
    await thirdOut.until('TOD started');
    expect(thirdOut.output()).toContain('stopping the embedded PostgreSQL left running by a tod that died');
    expect(processAlive(orphan)).toBe(false);
    const running = postmasterPid(cluster);
    expect(running).not.toBe(orphan);

    third.kill('SIGTERM');
    expect(await thirdOut.exit).toBe(0);
    expect(processAlive(running)).toBe(false);
    expect(existsSync(join(dataDir, 'tod.pid'))).toBe(false);
  }, 180_000);
});

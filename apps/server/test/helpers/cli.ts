import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_DB_PASSWORDS } from './constants.js';

export const serverRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Runs the real `tod` entry point from sources in a child process; `via` is a command to run it through (e.g.
 * `['prlimit', '--nofile=512:512']`).
 */
export function spawnTod(
  args: string[],
  env: Record<string, string>,
  cwd = serverRoot,
  via: string[] = [],
): ChildProcess {
  const [cmd, ...rest] = [
    ...via,
    process.execPath,
    '--conditions=source',
    '--import',
    'tsx',
    resolve(serverRoot, 'src/main.ts'),
    ...args,
  ];
  return spawn(cmd!, rest, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export async function runTod(args: string[], env: Record<string, string> = {}, stdin?: string, cwd?: string) {
  const child = spawnTod(args, env, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdin!.end(stdin ?? '');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { code, stdout, stderr };
}

type TestTod = { ownerUrl: string; config: { jwtSecret: string; credentialKey: Buffer } };

/** The settings of another TOD process on the test context's database and keys (a CLI command, a worker). */
export const contextEnv = (ctx: TestTod): Record<string, string> => ({
  ENVIRONMENT: 'dev',
  DATABASE_URL: ctx.ownerUrl,
  DB_APP_PASSWORD: TEST_DB_PASSWORDS.app,
  DB_SYSTEM_PASSWORD: TEST_DB_PASSWORDS.system,
  JWT_SECRET_KEY: ctx.config.jwtSecret,
  CREDENTIAL_ENCRYPTION_KEY: ctx.config.credentialKey.toString('base64'),
  LOG_LEVEL: 'warn',
  TOD_DATA_DIR: mkdtempSync(join(tmpdir(), 'tod-proc-')),
});

/**
 * A real `tod start --roles worker` on the test context's database and keys (a second process of the same TOD);
 * `env` adds settings. Output is drained so the child never blocks on a full pipe.
 */
export function spawnWorker(ctx: TestTod, env: Record<string, string> = {}): ChildProcess {
  const child = spawnTod(['start', '--roles', 'worker'], { ...contextEnv(ctx), METRICS_PORT: '0', ...env });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

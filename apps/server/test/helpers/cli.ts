import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const serverRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs the real `tod` entry point from sources in a child process. */
export function spawnTod(args: string[], env: Record<string, string>, cwd = serverRoot): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', resolve(serverRoot, 'src/main.ts'), ...args],
    {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
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

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../global-setup.js';

/** Real Redis and NATS servers from Debian packages, on loopback ports of their own. */
export function hasBinary(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function waitForPort(port: number, ms = 10_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not open`);
}

export type External = { url: string; port: number; stop: () => Promise<void> };

async function run(cmd: string, args: string[], port: number, scheme: string): Promise<External> {
  const child: ChildProcess = spawn(cmd, args, { stdio: 'ignore' });
  await waitForPort(port);
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
    },
  };
}

export async function startRedis(): Promise<External> {
  const port = await freePort();
  return run(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    port,
    'redis',
  );
}

export async function startNats(): Promise<External> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tod-nats-'));
  return run('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], port, 'nats');
}

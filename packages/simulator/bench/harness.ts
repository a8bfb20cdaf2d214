// Shared by the simulator benchmarks: run the simulator in a child process and talk to it over IPC.
import { type ChildProcess, fork } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeviceInfo, FleetOptions } from '../src/index.js';

export interface Usage {
  cpuMs: number;
  rss: number;
  heap: number;
}

export function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

export class SimChild {
  private readonly child: ChildProcess;
  private constructor(child: ChildProcess) {
    this.child = child;
  }

  static async start(): Promise<SimChild> {
    const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sim-child.ts');
    const child = fork(entry, [], {
      execArgv: ['--conditions=source', '--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const sim = new SimChild(child);
    await sim.next('ready');
    return sim;
  }

  private next<T>(type: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const on = (m: { type: string; message?: string }) => {
        if (m.type === 'error') {
          this.child.off('message', on);
          reject(new Error(m.message));
        } else if (m.type === type) {
          this.child.off('message', on);
          resolve(m as T);
        }
      };
      this.child.on('message', on);
    });
  }

  async fleet(options: FleetOptions): Promise<{ devices: DeviceInfo[]; before: Usage; after: Usage }> {
    const reply = this.next<{ devices: DeviceInfo[]; before: Usage; after: Usage }>('started');
    this.child.send({ type: 'start', options });
    return reply;
  }

  async usage(gc = false): Promise<Usage> {
    const reply = this.next<Usage>('usage');
    this.child.send({ type: 'usage', ...(gc ? { options: {} } : {}) });
    return reply;
  }

  async stop(): Promise<void> {
    const done = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.send({ type: 'stop' });
    await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
    this.child.kill('SIGKILL');
  }
}

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '0.0.0.0', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Run `fn` over `items` with at most `limit` at a time. */
export async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  });
  await Promise.all(workers);
}

// What one router session costs a poller by itself, apart from the rest of `tod`: memory (RSS and V8 heap) per
// session for a bare TCP socket, a bare TLS socket, and the RouterOS client over TLS and plain after login and
// after three polls; and CPU per poll of the client alone when polls come in bursts (many in one turn of the event
// loop) or one at a time (each on its own wake-up). Each case runs in its own process against one simulated fleet
// (tod-sim, another process). BENCH_SESSIONS (default 2000). Last stdout line: one JSON object.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RouterOSClient } from '@tod/routeros';
import { freePort, type SimDevice, startSimProcess } from './lib.js';

const N = Number(process.env.BENCH_SESSIONS ?? 2000);
const cases = ['tcp', 'tls', 'client-tls-login', 'client-tls-polled', 'client-plain-polled', 'cpu-burst', 'cpu-spread'];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const settle = async () => {
  gc();
  await new Promise((r) => setTimeout(r, 500));
  gc();
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runCase(name: string, devices: SimDevice[]) {
  await settle();
  const m0 = process.memoryUsage();
  const clients: RouterOSClient[] = [];
  const sockets: net.Socket[] = [];
  const ctx = tls.createSecureContext({});
  const open = async (d: SimDevice) => {
    if (name === 'tcp' || name === 'tls')
      await new Promise<void>((resolve, reject) => {
        const s =
          name === 'tcp'
            ? net.connect({ host: d.address, port: d.port }, resolve)
            : tls.connect(
                { host: d.address, port: d.tlsPort!, secureContext: ctx, rejectUnauthorized: false },
                resolve,
              );
        s.on('error', reject);
        sockets.push(s);
      });
    else
      clients.push(
        await RouterOSClient.connect({
          host: d.address,
          port: d.port,
          tlsPort: d.tlsPort,
          tlsMode: name.includes('plain') ? 'plain' : 'insecure',
          username: d.username,
          password: d.password,
        }),
      );
  };
  for (let i = 0; i < devices.length; i += 100) await Promise.all(devices.slice(i, i + 100).map(open));
  const poll = (c: RouterOSClient) =>
    Promise.all([
      c.command('/system/resource/print'),
      c.command('/system/health/print').catch(() => []),
      c.command('/interface/print'),
    ]);
  const out: Record<string, unknown> = { case: name, sessions: devices.length };
  if (name.endsWith('-polled')) for (let r = 0; r < 3; r++) await Promise.all(clients.map(poll));
  if (name.startsWith('cpu-')) {
    await Promise.all(clients.map(poll));
    const u0 = process.cpuUsage();
    for (let r = 0; r < 5; r++) {
      if (name === 'cpu-burst') await Promise.all(clients.map(poll));
      else {
        const inFlight: Promise<unknown>[] = [];
        for (const c of clients) {
          inFlight.push(poll(c));
          await sleep(2);
        }
        await Promise.all(inFlight);
      }
    }
    const u = process.cpuUsage(u0);
    out.cpu_ms_per_poll = +((u.user + u.system) / 1000 / (5 * clients.length)).toFixed(3);
  } else {
    await settle();
    const m1 = process.memoryUsage();
    const kb = (k: keyof NodeJS.MemoryUsage) => +((m1[k] - m0[k]) / 1024 / devices.length).toFixed(1);
    Object.assign(out, {
      rss_kb_per_session: kb('rss'),
      heap_used_kb_per_session: kb('heapUsed'),
      heap_committed_kb_per_session: kb('heapTotal'),
      array_buffers_kb_per_session: kb('arrayBuffers'),
    });
  }
  for (const s of sockets) s.destroy();
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  return out;
}

async function main() {
  const [, , which, file] = process.argv;
  if (which) {
    // A child: one case, its result on stdout.
    console.log(JSON.stringify(await runCase(which, JSON.parse(readFileSync(file!, 'utf8')))));
    process.exit(0);
  }
  const dir = mkdtempSync(join(tmpdir(), 'tod-bench-sessions-'));
  const { child, devices } = await startSimProcess([
    '--devices',
    String(N),
    '--subnet',
    '127.1.0.0/16',
    '--api-port',
    String(await freePort()),
    '--api-ssl-port',
    String(await freePort()),
    '--password',
    'bench-pw',
    '--tls',
    'cert',
  ]);
  try {
    const file = join(dir, 'devices.json');
    writeFileSync(file, JSON.stringify(devices));
    const results = [];
    for (const c of cases) {
      const out = execFileSync(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'apps/server/bench/sessions.bench.ts', c, file],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const r = JSON.parse(out.trim().split('\n').at(-1)!);
      console.error(JSON.stringify(r));
      results.push(r);
    }
    console.log(JSON.stringify({ bench: 'sessions', sessions: N, results }));
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

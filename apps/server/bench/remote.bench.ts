// Remote access: what one TOD process carries — open browser terminals (memory and CPU per session, idle and while
// people type and routers answer) — and a WinBox tunnel's throughput. TOD in this process with its HTTP server for
// /ws/ssh; the routers in a tod-sim process and the browsers in another, so neither's CPU is counted as TOD's.
// Last stdout line: one JSON object.
import { type ChildProcess, fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pino from 'pino';
import { createHttpServer } from '../src/runtime/http.js';
import { inProcessTod } from './in-process.js';
import { ask, freePort, startBenchPostgres, startSimProcess } from './lib.js';

const DEVICES = Number(process.env.BENCH_REMOTE_DEVICES ?? 50);
const LEVELS = (process.env.BENCH_REMOTE_LEVELS ?? '25,50,100,200').split(',').map(Number);
const TYPE_SECONDS = 10;
const TUNNEL_MB = Number(process.env.BENCH_REMOTE_TUNNEL_MB ?? 256);
const log = pino({ level: 'warn' });
const say = (m: string) => process.stderr.write(`remote bench: ${m}\n`);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const MB = 1024 * 1024;

// A full collection before each memory reading, so the figures are what sessions hold, not garbage not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const held = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
};

/** The browsers' process (remote-clients.ts). */
const startClients = () =>
  fork(fileURLToPath(new URL('./remote-clients.ts', import.meta.url)), [], {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

/** CPU ms this process spent per second of `fn`'s wall time. */
async function cpuDuring(fn: () => Promise<unknown>) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall_s: wall, cpu_ms_per_s: (c.user + c.system) / 1000 / wall };
}

async function main() {
  const db = await startBenchPostgres();
  let sim: ChildProcess | undefined;
  let clients: ChildProcess | undefined;
  const first = 40_000 + Math.floor(Math.random() * 5_000);
  try {
    const tod = await inProcessTod(db.url, log, {
      WINBOX_PORT_RANGE: `${first}-${first + 9}`,
      WINBOX_BIND_ADDRESS: '127.0.0.1',
    });
    const { services } = tod;
    say(`starting ${DEVICES} simulated routers`);
    const started = await startSimProcess([
      '--devices',
      String(DEVICES),
      '--ssh-port',
      String(await freePort()),
      '--tls',
      'off',
      '--password',
      'bench-pw',
    ]);
    sim = started.child;
    const ids: string[] = [];
    for (const [i, d] of started.devices.entries()) ids.push(await tod.addDevice(d, `bench-${i}`));
    const app = await createHttpServer({ config: tod.config, log, services, readiness: [] });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    clients = startClients();

    const levels: unknown[] = [];
    let open = 0;
    // Warm up (JIT, pools, the first SSH handshakes) with one session, then take the baseline without it.
    {
      const t = await services.remoteAccess.createSshSession(tod.actor('operator', 'warmup@tod.test'), ids[0]!);
      await ask(clients, { op: 'open', urls: [`ws://127.0.0.1:${port}${t.url}`] });
      await ask(clients, { op: 'type', seconds: 2 });
      await ask(clients, { op: 'close' });
      clients = startClients();
      await new Promise((r) => setTimeout(r, 3_000));
    }
    const base = held();
    for (const level of LEVELS) {
      const urls: string[] = [];
      for (let i = open; i < level; i++) {
        // A person per session, so the per-person cap does not apply; 4 per device at most.
        const actor = tod.actor('operator', `bench-${i}@tod.test`);
        const t = await services.remoteAccess.createSshSession(actor, ids[i % ids.length]!);
        urls.push(`ws://127.0.0.1:${port}${t.url}`);
      }
      const t0 = performance.now();
      await ask(clients, { op: 'open', urls });
      const openMs = performance.now() - t0;
      open = level;
      await new Promise((r) => setTimeout(r, 2_000));
      const mem = held();
      const idle = await cpuDuring(() => new Promise((r) => setTimeout(r, 5_000)));
      const typing = await cpuDuring(() => ask(clients!, { op: 'type', seconds: TYPE_SECONDS }));
      const row = {
        sessions: level,
        open_ms_per_session: round(openMs / urls.length),
        rss_mb: round(mem.rss / MB),
        rss_per_session_kb: round((mem.rss - base.rss) / 1024 / level),
        heap_and_buffers_per_session_kb: round((mem.heap - base.heap) / 1024 / level),
        idle_cpu_pct: round(idle.cpu_ms_per_s / 10, 2),
        typing_cpu_pct: round(typing.cpu_ms_per_s / 10, 2),
        typing_cpu_ms_per_session_s: round(typing.cpu_ms_per_s / level, 3),
      };
      say(JSON.stringify(row));
      levels.push(row);
    }
    await ask(clients, { op: 'close' }).catch(() => {});
    await services.remoteAccess.stop();

    say(`WinBox tunnel: ${TUNNEL_MB} MB each way`);
    const tunnel = await services.remoteAccess.openWinbox(
      tod.actor('operator', 'tunnel@tod.test'),
      ids[0]!,
      { allowed_addresses: ['127.0.0.1'] },
      '127.0.0.1',
    );
    clients = startClients();
    let pumped: Record<string, unknown> = {};
    const cpu = await cpuDuring(async () => {
      pumped = await ask(clients!, { op: 'tunnel', port: tunnel.port, megabytes: TUNNEL_MB });
    });
    const seconds = pumped.seconds as number;
    const result = {
      name: 'remote',
      devices: DEVICES,
      terminals: levels,
      tunnel: {
        megabytes_each_way: TUNNEL_MB,
        seconds: round(seconds, 2),
        mb_per_s_each_way: round(TUNNEL_MB / seconds),
        tod_cpu_pct: round(cpu.cpu_ms_per_s / 10, 1),
        note: 'through TOD to the simulated router, which echoes (its process does the other half of the work)',
      },
    };
    await ask(clients, { op: 'close' }).catch(() => {});
    await app.close();
    await tod.close();
    console.log(JSON.stringify(result));
  } finally {
    clients?.kill();
    sim?.kill('SIGTERM');
    await db.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

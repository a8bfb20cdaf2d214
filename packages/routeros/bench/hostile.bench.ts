// A hostile router against the client: a peer (own process, bench/flood-peer.ts) answers every command with an
// endless stream of ~1 KB `!re` rows. The client runs commands with the default limits (32 MiB, 200 000 rows), each
// one ends in ReplyLimitError and a closed session, and the bench reconnects until 1 GB (BENCH_BYTES) has been
// offered, with BENCH_SESSIONS (default 1, then 4) sessions at a time; BENCH_MAX_REPLY_BYTES changes the limit. Reported: the client's memory (heap+ArrayBuffers and RSS;
// peak sampled every 5 ms, after = after a forced collection) against its baseline, and throughput.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_REPLY_BYTES, ReplyLimitError, RouterOSClient } from '../src/index.js';
import { gc } from '../test/helpers/hostile-router.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const TOTAL = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const SESSIONS = (process.env.BENCH_SESSIONS ?? '1,4').split(',').map(Number);
const MAX_REPLY_BYTES = Number(process.env.BENCH_MAX_REPLY_BYTES ?? DEFAULT_MAX_REPLY_BYTES);
const MiB = 1024 * 1024;

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

const mb = (n: number) => Math.round((n / MiB) * 10) / 10;

const peer = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', path.join(here, 'flood-peer.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve, reject) => {
  peer.once('error', reject);
  peer.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
});

const connect = () =>
  RouterOSClient.connect({
    host: '127.0.0.1',
    port,
    tlsMode: 'plain',
    username: 'bench',
    password: '',
    maxReplyBytes: MAX_REPLY_BYTES,
  });

async function sent(): Promise<number> {
  const c = await connect();
  const [row] = await c.command('/bench/sent');
  await c.close();
  return Number(row?.sent);
}

async function scenario(sessions: number) {
  gc();
  const base = process.memoryUsage();
  let peakHeap = 0;
  let peakRss = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
    peakRss = Math.max(peakRss, m.rss);
  };
  const timer = setInterval(sample, 5);
  const start = await sent();
  const t0 = process.hrtime.bigint();
  let commands = 0;
  let offered = 0;
  // Each worker: connect, flood command, expect the limit, repeat until the peer has sent TOTAL bytes.
  const worker = async () => {
    while (offered < TOTAL) {
      const c = await connect();
      const err = await c.command('/interface/print').catch((e: unknown) => e);
      if (!(err instanceof ReplyLimitError)) throw new Error(`expected ReplyLimitError, got ${String(err)}`);
      commands++;
      offered = (await sent()) - start;
    }
  };
  await Promise.all(Array.from({ length: sessions }, worker));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  clearInterval(timer);
  sample();
  gc();
  const after = process.memoryUsage();
  const result = {
    sessions,
    commands,
    offeredMB: mb(offered),
    seconds: Math.round(ms / 100) / 10,
    throughputMBps: mb(offered / (ms / 1000)),
    heapPlusBuffersMB: {
      base: mb(base.heapUsed + base.arrayBuffers),
      peakGrowth: mb(peakHeap - base.heapUsed - base.arrayBuffers),
      afterGrowth: mb(after.heapUsed + after.arrayBuffers - base.heapUsed - base.arrayBuffers),
    },
    rssMB: { base: mb(base.rss), peakGrowth: mb(peakRss - base.rss), after: mb(after.rss) },
  };
  log(JSON.stringify(result));
  return result;
}

const scenarios = [];
try {
  for (const n of SESSIONS) scenarios.push(await scenario(n));
} finally {
  peer.kill();
}
console.log(
  JSON.stringify({
    name: 'routeros-hostile',
    workload: {
      offeredPerScenarioMB: mb(TOTAL),
      rowBytes: 1000,
      maxReplyBytes: MAX_REPLY_BYTES,
      method: 'peer in its own process; peak sampled every 5 ms; after = after a forced collection',
    },
    scenarios,
  }),
);

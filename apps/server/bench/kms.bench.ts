// Key providers: what one device-credential decrypt costs with `local` and with `transit` (OpenBao Transit over HTTP,
// here the Transit-compatible test server on loopback: OpenBao cannot be installed on these machines), on a cache hit
// and on a miss, and what that makes at the poller's rate for 10,000 devices a minute; plus the key-access log's
// share (recording each use in memory, and writing a minute of 10,000 distinct uses).
// In-process against a PostgreSQL of its own. Last stdout line: one JSON object.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { devicePasswordContext } from '../src/features/devices/credentials.js';
import { migrate } from '../src/platform/db/migrate.js';
import { createPools } from '../src/platform/db/pools.js';
import { createKeyAccessLog } from '../src/platform/kms/access-log.js';
import { createEnvelope } from '../src/platform/kms/envelope.js';
import { useByPoller, useByWorker } from '../src/platform/kms/key-use.js';
import { localKeyProvider } from '../src/platform/kms/local.js';
import type { KeyProvider } from '../src/platform/kms/provider.js';
import { transitKeyProvider } from '../src/platform/kms/transit.js';
import { startBenchPostgres } from './lib.js';

const APP_PW = 'bench-app-password-0123456789';
const SYS_PW = 'bench-system-password-0123456789';
const DEVICES = 10_000;
const HITS = Number(process.env.BENCH_KMS_HITS ?? 50_000);
const MISSES = Number(process.env.BENCH_KMS_MISSES ?? 2_000);
const log = pino({ level: 'warn' });
const say = (m: string) => process.stderr.write(`kms bench: ${m}\n`);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** `n` sequential calls: mean µs of wall time and of this process's CPU, p50/p99 µs. */
async function measure(n: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(200, n); i++) await fn(i);
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(i);
    lat.push(performance.now() - s);
  }
  const wallUs = ((performance.now() - t0) * 1000) / n;
  const c = process.cpuUsage(cpu0);
  lat.sort((a, b) => a - b);
  return {
    mean_us: round(wallUs),
    cpu_us: round((c.user + c.system) / n),
    p50_us: round(pct(lat, 0.5) * 1000),
    p99_us: round(pct(lat, 0.99) * 1000),
  };
}

/**
 * The Transit-compatible test server in a process of its own, so this process's CPU is TOD's alone (OpenBao would
 * run elsewhere too).
 */
async function transitProcess() {
  const server = fileURLToPath(new URL('../test/helpers/transit-server.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { startTransitServer } from ${JSON.stringify(server)};
       const s = await startTransitServer();
       console.log(JSON.stringify({ url: s.url, token: s.token, mount: s.mount }));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const info = JSON.parse(line.toString('utf8')) as { url: string; token: string; mount: string };
  return { ...info, close: () => child.kill() };
}

/** At 10,000 decrypts a minute: ms of CPU per minute and the share of one core. */
const perMinute = (cpuUs: number) => ({
  cpu_ms_per_minute: round((cpuUs * DEVICES) / 1000),
  core_share_pct: round(((cpuUs * DEVICES) / 60_000_000) * 100, 3),
});

async function main() {
  const db = await startBenchPostgres();
  const bao = await transitProcess();
  try {
    await migrate({ ownerUrl: db.url, appPassword: APP_PW, systemPassword: SYS_PW, log });
    const pools = createPools({
      ownerUrl: db.url,
      appPassword: APP_PW,
      systemPassword: SYS_PW,
      appMax: 4,
      systemMax: 8,
      statementTimeoutMs: 60_000,
    });
    const tenant = async (name: string) =>
      (await pools.system.query<{ id: string }>('insert into tenants (name) values ($1) returning id', [name])).rows[0]!
        .id;
    const local = localKeyProvider(Buffer.alloc(32, 9));
    const transit = transitKeyProvider({ addr: bao.url, token: bao.token, mount: bao.mount, timeoutMs: 5000 });
    const logs: ReturnType<typeof createKeyAccessLog>[] = [];
    const envelopeFor = (provider: KeyProvider, cached: boolean) => {
      const accessLog = createKeyAccessLog({ systemPool: pools.system, log });
      logs.push(accessLog);
      return createEnvelope({
        systemPool: pools.system,
        provider,
        providers: [local, transit],
        accessLog,
        cache: cached ? { maxEntries: 1024, ttlMs: 300_000 } : { maxEntries: 0, ttlMs: 0 },
      });
    };

    const results: Record<string, unknown> = {};
    for (const [name, provider] of [
      ['local', local],
      ['transit', transit],
    ] as const) {
      const t = await tenant(`bench-${name}`);
      // 1,000 devices' passwords sealed as the devices API stores them; the poller opens them in turn.
      const ids = Array.from({ length: 1000 }, () => randomUUID());
      const seal = envelopeFor(provider, true);
      const sealed = await Promise.all(
        ids.map((id) => seal.encrypt(t, `pw-${id}`, devicePasswordContext(id), useByWorker('bench', 'seal'))),
      );
      const open = (e: ReturnType<typeof envelopeFor>) => (i: number) =>
        e.decrypt(t, sealed[i % ids.length]!, devicePasswordContext(ids[i % ids.length]!), useByPoller());
      say(`${name}: ${HITS} decrypts from the cache`);
      const hit = await measure(HITS, open(envelopeFor(provider, true)));
      say(`${name}: ${MISSES} decrypts without a cache (tenant_keys read + unwrap each time)`);
      const miss = await measure(MISSES, open(envelopeFor(provider, false)));
      results[name] = {
        cache_hit: { ...hit, ...perMinute(hit.cpu_us) },
        cache_miss: {
          ...miss,
          ...perMinute(miss.cpu_us),
        },
      };
    }

    // The key-access log: recording is a map update per use; a flush writes what a minute of uses left.
    const accessLog = createKeyAccessLog({ systemPool: pools.system, log, flushMs: 3_600_000 });
    const t = await tenant('bench-log');
    const use = useByPoller();
    const record = await measure(HITS, async (i) =>
      accessLog.record({
        tenantId: t,
        op: 'decrypt',
        use,
        provider: 'local',
        keyVersion: 1,
        object: `device:${i % DEVICES}:password`,
      }),
    );
    await accessLog.flush();
    const flushes: number[] = [];
    for (let r = 0; r < 3; r++) {
      for (let i = 0; i < DEVICES; i++)
        accessLog.record({
          tenantId: t,
          op: 'decrypt',
          use,
          provider: 'local',
          keyVersion: 1,
          object: `device:${r}-${i}:password`,
        });
      const s = performance.now();
      await accessLog.flush();
      flushes.push(performance.now() - s);
    }
    await accessLog.stop();
    const rows = await pools.system.query<{ n: string; bytes: string }>(
      `select count(*) as n, pg_total_relation_size('key_access_log') as bytes from key_access_log`,
    );
    const rowBytes = Number(rows.rows[0]!.bytes) / Number(rows.rows[0]!.n);
    results.key_access_log = {
      record_cpu_us: record.cpu_us,
      flush_10k_distinct_uses_ms: round(flushes.sort((a, b) => a - b)[1]!),
      bytes_per_row_with_indexes: Math.round(rowBytes),
      // Worst case: every device's credentials opened every minute (a session reopened at every poll), each a row
      // per period: with the default minute, and with KEY_ACCESS_PERIOD_SECONDS=3600.
      worst_case_rows_per_day: DEVICES * 1440,
      worst_case_mb_per_day: round((DEVICES * 1440 * rowBytes) / 1e6),
      worst_case_mb_per_day_hourly_period: round((DEVICES * 24 * rowBytes) / 1e6),
    };

    for (const l of logs) await l.stop();
    await pools.end();
    console.log(
      JSON.stringify({
        devices_per_minute: DEVICES,
        transit_server: 'Transit-compatible test server on loopback (test/helpers/transit-server.ts), not OpenBao',
        ...results,
      }),
    );
  } finally {
    bao.close();
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// How many devices one `tod start` process (all roles: api, poller, worker) polls at a 60 s interval on this
// machine without missing cycles. The simulated fleet runs in its own process (`tod-sim`, one loopback address per
// device), PostgreSQL is an embedded server started here, `tod` runs from sources in its own process. After a
// warm-up (every device polled once: sessions open), we measure BENCH_CYCLES intervals: polls/s, schedule lag
// p50/p99 (from the poller's histogram), tod's CPU and RSS (from /proc), rows written/s, CPU-ms per device-poll,
// and missed polls (expected N × window / interval minus polls done). Last stdout line: one JSON object.
//
// Then a restart storm (restartStorm). BENCH_DEVICES (default 10000), BENCH_INTERVAL (60 s), BENCH_CYCLES (2),
// BENCH_TLS (cert | anon | off), BENCH_RESTART (1; 0 skips the storm), BENCH_BASELINE (a commit measured first).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { devicePasswordContext } from '../src/features/devices/credentials.js';
import { createKeyAccessLog } from '../src/platform/kms/access-log.js';
import { createEnvelope } from '../src/platform/kms/envelope.js';
import { useByWorker } from '../src/platform/kms/key-use.js';
import { localKeyProvider } from '../src/platform/kms/local.js';
import {
  cpuMs,
  freePort,
  pgTopStatements,
  resetPgStatements,
  rssMb,
  startBenchPostgres,
  startSimProcess,
  withBaseline,
} from './lib.js';

const N = Number(process.env.BENCH_DEVICES ?? 10_000);
const INTERVAL = Number(process.env.BENCH_INTERVAL ?? 60);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 2);
const TLS = process.env.BENCH_TLS ?? 'cert';
/** BENCH_RESTART=0 skips the restart storm measured at the end. */
const RESTART = process.env.BENCH_RESTART !== '0';
const KEY = Buffer.alloc(32, 9).toString('base64');
const APP_PW = 'bench-app-password-0123456789';
const SYS_PW = 'bench-system-password-0123456789';
const say = (m: string) => console.error(`[poller.bench] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

type Sample = Map<string, number>;
async function scrape(base: string): Promise<Sample> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out: Sample = new Map();
  for (const line of text.split('\n')) {
    if (
      !line.startsWith('mikrotik_') &&
      !line.startsWith('nodejs_heap_size_used') &&
      !line.startsWith('nodejs_external')
    )
      continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}
const sum = (s: Sample, prefix: string) => [...s].filter(([k]) => k.startsWith(prefix)).reduce((a, [, v]) => a + v, 0);

/** Quantile from the delta of a Prometheus histogram, interpolating linearly inside the bucket. */
function quantile(a: Sample, b: Sample, name: string, q: number): number | null {
  const buckets: Array<[number, number]> = [];
  for (const [k, v] of b) {
    const m = k.match(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}$`));
    if (!m) continue;
    buckets.push([m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), v - (a.get(k) ?? 0)]);
  }
  buckets.sort((x, y) => x[0] - y[0]);
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of buckets) {
    if (count >= q * total) {
      if (!Number.isFinite(le)) return prevLe;
      return prevLe + ((le - prevLe) * (q * total - prevCount)) / Math.max(1, count - prevCount);
    }
    prevLe = le;
    prevCount = count;
  }
  return prevLe;
}

/** One run against the `tod` of `root` (this checkout unless given): fresh database, fleet and process. */
async function measure(root = process.cwd()) {
  const db = await startBenchPostgres();
  const pgDir = db.dir;
  const ownerUrl = db.url;
  const children: ChildProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'tod-bench-data-'));
  try {
    // The fleet, in its own process.
    const apiPort = await freePort();
    const sslPort = await freePort();
    say(`starting ${N} simulated devices (tls ${TLS})`);
    const { child: sim, devices: simDevices } = await startSimProcess([
      '--devices',
      String(N),
      '--subnet',
      '127.1.0.0/16',
      '--api-port',
      String(apiPort),
      '--api-ssl-port',
      String(sslPort),
      '--password',
      'bench-pw',
      '--tls',
      TLS,
    ]);
    children.push(sim);

    // tod: one process, all roles, from sources.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    say('starting tod');
    const startTod = async () => {
      const child = spawn(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'apps/server/src/main.ts', 'start'],
        {
          cwd: root,
          env: {
            ...process.env,
            TOD_DATA_DIR: dataDir,
            DATABASE_URL: ownerUrl,
            DB_APP_PASSWORD: APP_PW,
            DB_SYSTEM_PASSWORD: SYS_PW,
            CREDENTIAL_ENCRYPTION_KEY: KEY,
            JWT_SECRET_KEY: 'bench-jwt-secret-that-is-long-enough-0123456789',
            PORT: String(port),
            HOST: '127.0.0.1',
            LOG_LEVEL: 'warn',
            POLL_INTERVAL_SECONDS: String(INTERVAL),
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      children.push(child);
      for (let i = 0; i < 600; i++) {
        if (child.exitCode !== null) throw new Error('tod exited');
        try {
          if ((await fetch(`${base}/health/ready`)).ok) break;
        } catch {}
        await sleep(200);
      }
      return child;
    };
    const tod = await startTod();

    // A tenant and N devices, credentials envelope-encrypted as the devices API stores them.
    say(`adding ${N} devices`);
    const sysUrl = new URL(ownerUrl);
    sysUrl.username = 'system';
    sysUrl.password = SYS_PW;
    const system = new pg.Pool({ connectionString: sysUrl.toString(), max: 4 });
    const accessLog = createKeyAccessLog({ systemPool: system, log: pino({ level: 'warn' }) });
    const envelope = createEnvelope({
      systemPool: system,
      provider: localKeyProvider(Buffer.from(KEY, 'base64')),
      accessLog,
    });
    const tenant = (await system.query<{ id: string }>(`insert into tenants (name) values ('Bench') returning id`))
      .rows[0]!.id;
    for (let off = 0; off < N; off += 1000) {
      const rows = [];
      for (const [i, d] of simDevices.slice(off, off + 1000).entries()) {
        const id = randomUUID();
        const enc = await envelope.encrypt(tenant, d.password, devicePasswordContext(id), useByWorker('bench', 'seal'));
        rows.push({
          id,
          name: `bench-${off + i}`,
          host: d.address,
          port: d.port,
          tls_port: d.tlsPort ?? 8729,
          username: d.username,
          enc: enc.toString('base64'),
        });
      }
      await system.query(
        `insert into devices (id, tenant_id, name, host, port, tls_port, username, password_enc)
         select x.id, $2, x.name, x.host, x.port, x.tls_port, x.username, decode(x.enc, 'base64')
           from json_to_recordset($1::json) as x(id uuid, name text, host text, port int, tls_port int, username text, enc text)`,
        [JSON.stringify(rows), tenant],
      );
    }
    const t0 = Date.now();

    // Warm-up: every device polled once (sessions open), then one more interval.
    say('warming up');
    let s = await scrape(base);
    while (sum(s, 'mikrotik_poll_total') < N) {
      if (Date.now() - t0 > 15 * INTERVAL * 1000)
        throw new Error(`warm-up: only ${sum(s, 'mikrotik_poll_total')} polls`);
      await sleep(1000);
      s = await scrape(base);
    }
    const firstCycleSec = (Date.now() - t0) / 1000;
    say(`first poll of all devices after ${firstCycleSec.toFixed(1)} s; one more interval`);
    await sleep(INTERVAL * 1000);

    // Measurement.
    const a = await scrape(base);
    await resetPgStatements(ownerUrl);
    const cpuA = cpuMs(tod.pid!);
    const pgCpuA = pgCpuMs(pgDir);
    const started = Date.now();
    let rssMax = 0;
    const rssSamples: number[] = [];
    while (Date.now() - started < CYCLES * INTERVAL * 1000) {
      const r = rssMb(tod.pid!);
      rssSamples.push(r);
      rssMax = Math.max(rssMax, r);
      await sleep(1000);
    }
    const b = await scrape(base);
    const windowSec = (Date.now() - started) / 1000;
    const cpu = cpuMs(tod.pid!) - cpuA;
    await pgTopStatements(ownerUrl, 'the measured window', 15);
    const pgCpu = pgCpuMs(pgDir) - pgCpuA;
    const polls = sum(b, 'mikrotik_poll_total') - sum(a, 'mikrotik_poll_total');
    const online =
      (b.get('mikrotik_poll_total{status="online"}') ?? 0) - (a.get('mikrotik_poll_total{status="online"}') ?? 0);
    const rows = sum(b, 'mikrotik_ingest_rows_total') - sum(a, 'mikrotik_ingest_rows_total');
    const expected = (N * windowSec) / INTERVAL;
    const lagP50 = quantile(a, b, 'mikrotik_poll_schedule_lag_seconds', 0.5);
    const lagP99 = quantile(a, b, 'mikrotik_poll_schedule_lag_seconds', 0.99);
    const durP50 = quantile(a, b, 'mikrotik_poll_duration_seconds', 0.5);
    const durP99 = quantile(a, b, 'mikrotik_poll_duration_seconds', 0.99);
    const result = {
      name: 'poller',
      devices: N,
      interval_s: INTERVAL,
      tls: TLS,
      window_s: Math.round(windowSec),
      first_full_cycle_s: Math.round(firstCycleSec),
      polls_per_s: +(polls / windowSec).toFixed(1),
      expected_polls: Math.round(expected),
      polls,
      polls_online: online,
      missed_polls: Math.max(0, Math.round(expected - polls)),
      breaker_skips: sum(b, 'mikrotik_circuit_breaker_skips_total') - sum(a, 'mikrotik_circuit_breaker_skips_total'),
      schedule_lag_s: { p50: round(lagP50), p99: round(lagP99) },
      poll_duration_s: { p50: round(durP50), p99: round(durP99) },
      tod_cpu_percent_of_one_core: +((cpu / (windowSec * 1000)) * 100).toFixed(1),
      postgres_cpu_percent_of_one_core: +((pgCpu / (windowSec * 1000)) * 100).toFixed(1),
      cpu_ms_per_device_poll: +(cpu / Math.max(1, polls)).toFixed(3),
      rss_mb: { max: Math.round(rssMax), mean: Math.round(rssSamples.reduce((x, y) => x + y, 0) / rssSamples.length) },
      rows_written_per_s: Math.round(rows / windowSec),
      heap_used_mb: Math.round((b.get('nodejs_heap_size_used_bytes') ?? 0) / 1048576),
      external_mb: Math.round((b.get('nodejs_external_memory_bytes') ?? 0) / 1048576),
      ok: expected - polls <= N * 0.01 && (lagP99 ?? 0) < INTERVAL,
    };
    // Storage actually used per row (heap + indexes), for the per-1,000-device estimate.
    const size = await system.query<{ t: string; bytes: string; n: string }>(
      `select t, (select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_inherits i join pg_class c on c.oid = i.inhrelid
                   join pg_class p on p.oid = i.inhparent where p.relname = t)::text as bytes,
              (case t when 'metrics_health' then (select count(*) from metrics_health)
                      else (select count(*) from metrics_interface) end)::text as n
         from unnest(array['metrics_health', 'metrics_interface']) as t`,
    );
    const perRow = Object.fromEntries(
      size.rows.map((r) => [r.t, Math.round(Number(r.bytes) / Math.max(1, Number(r.n)))]),
    );
    const restart = RESTART ? await restartStorm(tod, startTod, base) : undefined;
    await accessLog.stop();
    await system.end();
    return { ...result, bytes_per_row: perRow, ...(restart ? { restart } : {}) };
  } finally {
    for (const c of children.reverse()) {
      c.kill('SIGTERM');
      await new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)));
    }
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A restart storm: tod stopped (SIGTERM, as an upgrade does) and started again, every session to be re-established
 * at once. Measures how long until every device was polled by the new process, how many of those polls found the
 * device offline (a handshake storm making devices time out), and the new process's CPU over its first interval.
 */
async function restartStorm(old: ChildProcess, startTod: () => Promise<ChildProcess>, base: string) {
  say('restart storm: stopping tod');
  old.kill('SIGTERM');
  await new Promise((r) => (old.exitCode !== null ? r(null) : old.once('exit', r)));
  const t0 = Date.now();
  const tod = await startTod();
  const readyS = (Date.now() - t0) / 1000;
  const cpu0 = cpuMs(tod.pid!);
  let s = await scrape(base);
  let allPolledS: number | null = null;
  let rssMax = 0;
  while (Date.now() - t0 < 3 * INTERVAL * 1000) {
    rssMax = Math.max(rssMax, rssMb(tod.pid!));
    if (sum(s, 'mikrotik_poll_total') >= N) {
      allPolledS = (Date.now() - t0) / 1000;
      break;
    }
    await sleep(500);
    s = await scrape(base);
  }
  const cpu = cpuMs(tod.pid!) - cpu0;
  const sinceReadyMs = Date.now() - t0 - readyS * 1000;
  const offline = s.get('mikrotik_poll_total{status="offline"}') ?? 0;
  const polled = sum(s, 'mikrotik_poll_total');
  return {
    ready_s: round(readyS),
    all_polled_s: allPolledS === null ? null : round(allPolledS),
    within_one_interval: allPolledS !== null && allPolledS <= INTERVAL,
    polls: polled,
    failed_polls: offline,
    tod_cpu_percent_of_one_core_until_all_polled: +((cpu / sinceReadyMs) * 100).toFixed(1),
    rss_mb_max: Math.round(rssMax),
  };
}

function round(v: number | null): number | null {
  return v === null ? null : +v.toFixed(3);
}
function pgServerPid(dir: string): number {
  try {
    return Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return 0;
  }
}
/** CPU of the PostgreSQL server: postmaster, its reaped children (cutime/cstime) and its live backends. */
function pgCpuMs(dir: string): number {
  const pid = pgServerPid(dir);
  if (!pid) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
    const own = ((Number(x[11]) + Number(x[12]) + Number(x[13]) + Number(x[14])) * 1000) / 100;
    return own + childPids(pid).reduce((a, p) => a + safeCpu(p), 0);
  } catch {
    return 0;
  }
}
function safeCpu(pid: number): number {
  try {
    return pid ? cpuMs(pid) : 0;
  } catch {
    return 0;
  }
}

/** BENCH_BASELINE=<commit>: that commit measured first, in the same run, under the same load. */
async function main() {
  const { results, baseline } = await withBaseline(measure);
  console.log(JSON.stringify({ ...results, ...(baseline ? { baseline } : {}) }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

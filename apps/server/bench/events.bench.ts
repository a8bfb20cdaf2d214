// Domain events: what recording costs a request transaction, how fast a worker dispatches a backlog, and the lag from
// commit to handler under a steady load; over PostgreSQL alone and, when nats-server is installed, over JetStream.
// In-process against a PostgreSQL of its own (fsync on). Last stdout line: one JSON object.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import pino from 'pino';
import { Registry } from 'prom-client';
import { migrate } from '../src/platform/db/migrate.js';
import { createPools, type Pools } from '../src/platform/db/pools.js';
import { withTenant } from '../src/platform/db/tx.js';
import { startEventDispatcher } from '../src/platform/events/dispatcher.js';
import { recordEvent, recordEvents } from '../src/platform/events/record.js';
import { freePort, startBenchPostgres } from './lib.js';

const APP_PW = 'bench-app-password-0123456789';
const SYS_PW = 'bench-system-password-0123456789';
const BACKLOG = Number(process.env.BENCH_EVENTS ?? 20_000);
const RATE = Number(process.env.BENCH_EVENT_RATE ?? 1000); // events/s for the lag run
const log = pino({ level: 'warn' });

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** `total` request transactions on `workers` connections; returns tx/s and latency quantiles (ms). */
async function requests(total: number, workers: number, tx: (worker: number) => Promise<unknown>) {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (next++ < total) {
        const s = performance.now();
        await tx(w);
        lat.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return {
    per_second: Math.round(total / secs),
    p50_ms: round(quantile(lat, 0.5), 2),
    p99_ms: round(quantile(lat, 0.99), 2),
  };
}

async function recording(pools: Pools, tenant: string) {
  const n = 4000;
  const workers = 8;
  // A request that changes one row (each connection its own, so they do not queue on a row lock), then the same
  // request also recording an event.
  const rows = (
    await pools.system.query(
      `insert into sites (tenant_id, name) select $1, 'bench-' || i from generate_series(1, $2::int) i returning id`,
      [tenant, workers],
    )
  ).rows.map((r) => r.id as string);
  const change = (c: { query: (q: string, v: unknown[]) => Promise<unknown> }, w: number) =>
    c.query("update sites set address = 'changed' where id = $1", [rows[w]]);
  const withoutEvent = await requests(n, workers, (w) => withTenant(pools.app, tenant, (c) => change(c, w)));
  const withEvent = await requests(n, workers, (w) =>
    withTenant(pools.app, tenant, async (c) => {
      await change(c, w);
      await recordEvent(c, { type: 'bench.changed', tenantId: tenant, payload: { site: rows[w]! } });
    }),
  );
  const batch = Array.from({ length: 1000 }, (_, i) => ({ type: 'bench.batch', tenantId: tenant, payload: { i } }));
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) await withTenant(pools.app, tenant, (c) => recordEvents(c, batch));
  const batchPerSecond = Math.round(20_000 / ((performance.now() - t0) / 1000));
  await pools.system.query('delete from domain_events');
  return {
    request_tx_without_event: withoutEvent,
    request_tx_with_one_event: withEvent,
    batch_record_events_per_second: batchPerSecond,
  };
}

/** Backlog of BACKLOG events, then one worker with two no-op handlers drains it. */
async function drain(pools: Pools, tenant: string, nc?: NatsConnection) {
  for (let i = 0; i < BACKLOG; i += 1000)
    await withTenant(pools.app, tenant, (c) =>
      recordEvents(
        c,
        Array.from({ length: 1000 }, (_, j) => ({ type: 'bench.drain', tenantId: tenant, payload: { i: i + j } })),
      ),
    );
  let handled = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const handle = async () => {
    if (++handled === BACKLOG * 2) done();
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const d = await startEventDispatcher({
    systemPool: pools.system,
    log,
    registry: new Registry(),
    ...(nc ? { nc } : {}),
    handlers: [
      { name: 'bench.one', on: ['*'], handle },
      { name: 'bench.two', on: ['bench.drain'], handle },
    ],
  });
  await finished;
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await d.stop();
  await pools.system.query('delete from domain_events');
  return {
    events: BACKLOG,
    deliveries_per_second: Math.round((BACKLOG * 2) / secs),
    seconds: round(secs, 2),
    // This process only (dispatcher + handlers); PostgreSQL's share is not counted.
    node_cpu_us_per_delivery: Math.round((cpu.user + cpu.system) / (BACKLOG * 2)),
  };
}

/** RATE events/s for 10 s, in transactions of 10, while a worker handles them: commit → handler lag. */
async function steady(pools: Pools, tenant: string, nc?: NatsConnection) {
  const lags: number[] = [];
  const d = await startEventDispatcher({
    systemPool: pools.system,
    log,
    registry: new Registry(),
    ...(nc ? { nc } : {}),
    handlers: [
      {
        name: 'bench.lag',
        on: ['bench.steady'],
        handle: async (e) => {
          lags.push(Date.now() - (e.payload as { at: number }).at);
        },
      },
    ],
  });
  const seconds = 10;
  const perTick = RATE / 100; // every 10 ms
  const t0 = Date.now();
  let sent = 0;
  const inflight: Promise<unknown>[] = [];
  while (Date.now() - t0 < seconds * 1000) {
    for (let i = 0; i < perTick / 10; i++)
      inflight.push(
        withTenant(pools.app, tenant, async (c) => {
          const at = Date.now();
          await recordEvents(
            c,
            Array.from({ length: 10 }, () => ({ type: 'bench.steady', tenantId: tenant, payload: { at } })),
          );
        }),
      );
    sent += perTick;
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(inflight);
  const actual = sent / ((Date.now() - t0) / 1000);
  const until = Date.now() + 30_000;
  while (lags.length < sent && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  await d.stop();
  await pools.system.query('delete from domain_events');
  lags.sort((a, b) => a - b);
  return {
    rate_per_second: Math.round(actual),
    handled: lags.length,
    sent,
    lag_ms: { p50: quantile(lags, 0.5), p95: quantile(lags, 0.95), p99: quantile(lags, 0.99), max: lags.at(-1) },
  };
}

async function startNatsServer(): Promise<{ url: string; stop: () => Promise<void> } | undefined> {
  try {
    execFileSync('sh', ['-c', 'command -v nats-server'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tod-bench-nats-'));
  const child: ChildProcess = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], {
    stdio: 'ignore',
  });
  const url = `nats://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await (await connect({ servers: url })).close();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const db = await startBenchPostgres();
  const nats = await startNatsServer();
  let pools: Pools | undefined;
  let nc: NatsConnection | undefined;
  try {
    await migrate({ ownerUrl: db.url, appPassword: APP_PW, systemPassword: SYS_PW });
    pools = createPools({
      ownerUrl: db.url,
      appPassword: APP_PW,
      systemPassword: SYS_PW,
      appMax: 16,
      systemMax: 10,
      statementTimeoutMs: 30_000,
    });
    const tenant = (await pools.system.query("insert into tenants (name) values ('bench') returning id")).rows[0].id;
    const record = await recording(pools, tenant);
    console.error(JSON.stringify(record));
    const postgres = { drain: await drain(pools, tenant), steady: await steady(pools, tenant) };
    console.error(JSON.stringify({ postgres }));
    let viaNats: unknown = 'nats-server not installed';
    if (nats) {
      nc = await connect({ servers: nats.url });
      viaNats = { drain: await drain(pools, tenant, nc), steady: await steady(pools, tenant, nc) };
      console.error(JSON.stringify({ nats: viaNats }));
    }
    console.log(JSON.stringify({ bench: 'events', record, postgres, nats: viaNats }));
  } finally {
    await nc?.close();
    await pools?.end();
    await nats?.stop();
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });

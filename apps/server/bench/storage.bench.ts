// Database size per 1,000 devices per day (docs/SCALING.md): `HOURS` hours of 60 s polls of 1,000 devices with
// `IFACES` interfaces each, written through ingest's batch writer and rolled up as the worker does, then measured
// table by table (all partitions) and scaled to a day and to the default retention. Last stdout line: one JSON object.
import pino from 'pino';
import { writeResults } from '../src/features/ingest/ingest.batch.js';
import type { PollResult } from '../src/features/poller/types.js';
import { ensurePartitions, seriesTables } from '../src/platform/timeseries/partitions.js';
import { runRollups } from '../src/platform/timeseries/rollups.js';
import { interfaceSample, pollResult } from '../test/helpers/poll-result.js';
import { inProcessTod } from './in-process.js';
import { startBenchPostgres } from './lib.js';

const DEVICES = Number(process.env.BENCH_STORAGE_DEVICES ?? 1000);
const HOURS = Number(process.env.BENCH_STORAGE_HOURS ?? 3);
const IFACES = Number(process.env.BENCH_STORAGE_INTERFACES ?? 6);
const BATCH = 500;
// The defaults of METRICS_RAW_RETENTION_DAYS, METRICS_5M_RETENTION_DAYS and METRICS_1H_RETENTION_DAYS.
const RETENTION = { raw: 2, fiveMinute: 8, hourly: 90 };
const say = (m: string) => process.stderr.write(`storage bench: ${m}\n`);
const mb = (bytes: number) => Math.round(bytes / 1e4) / 100;

function result(tenant: string, device: string, at: number, i: number): PollResult {
  const interfaces = Array.from({ length: IFACES }, (_, k) => ({
    ...interfaceSample(`ether${k + 1}`, null),
    rxBytes: String(at * (k + 1)),
    txBytes: String(at * (k + 2)),
    rxBps: 1e6 + ((i * 7919 + k) % 1000) * 1000,
    txBps: 5e5 + ((i * 104729 + k) % 1000) * 500,
    rxPps: 100 + (i % 50),
    txPps: 80 + (i % 40),
  }));
  return pollResult(tenant, device, { at, cpu: (i * 31) % 100, temperature: 40 + (i % 20), interfaces });
}

/** Bytes (table, indexes and TOAST) and rows of each table, all its partitions included. */
async function sizes(owner: import('pg').Pool, tables: string[]) {
  const out = new Map<string, { bytes: number; rows: number }>();
  for (const t of tables) {
    const r = await owner.query<{ bytes: string; rows: string }>(
      `select (select coalesce(sum(pg_total_relation_size(relid)), 0) from pg_partition_tree($1::regclass))::text as bytes,
              (select count(*) from ${t})::text as rows`,
      [t],
    );
    out.set(t, { bytes: Number(r.rows[0]!.bytes), rows: Number(r.rows[0]!.rows) });
  }
  return out;
}

async function main() {
  const db = await startBenchPostgres();
  try {
    const tod = await inProcessTod(db.url, pino({ level: 'warn' }), {}, 10);
    const { pools, tenant } = tod;
    const owner = pools.owner!;
    await ensurePartitions(owner, seriesTables({ raw: 3, fiveMinute: 3, hourly: 3 }), { behindDays: 1 });
    const ids = await tod.addBareDevices(DEVICES);
    const tables = [
      'metrics_health',
      'metrics_interface',
      'metrics_health_5m',
      'metrics_interface_5m',
      'metrics_health_1h',
      'metrics_interface_1h',
    ];
    const before = await sizes(owner, tables);

    // Whole hours ending an hour ago, so every 5-minute and hourly bucket is complete when rolled up.
    const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - (HOURS + 1) * 3_600_000;
    const t0 = performance.now();
    for (let m = 0; m < HOURS * 60; m++) {
      const at = start + m * 60_000;
      for (let i = 0; i < ids.length; i += BATCH)
        await writeResults(
          pools.system,
          ids.slice(i, i + BATCH).map((d, k) => result(tenant, d, at, m + i + k)),
          [],
        );
      if (m % 60 === 59) say(`${(m + 1) / 60} of ${HOURS} hours written`);
    }
    const writeMs = performance.now() - t0;
    for (let r = 0; r < 10; r++) {
      const done = await runRollups(pools.system, { maxBuckets: 1000 });
      if (Object.values(done).every((n) => n === 0)) break;
    }
    await owner.query('vacuum analyze');
    const after = await sizes(owner, tables);

    // Bytes per row as measured, times the rows a day brings (a rollup's newest bucket waits for later rows, so
    // the rows written are not quite HOURS' worth).
    const rowsPerDay = (t: string) =>
      1000 *
      (t.startsWith('metrics_interface') ? IFACES : 1) *
      (t.endsWith('_1h') ? 24 : t.endsWith('_5m') ? 288 : 1440);
    const retentionOf: Record<string, number> = {
      metrics_health: RETENTION.raw,
      metrics_interface: RETENTION.raw,
      metrics_health_5m: RETENTION.fiveMinute,
      metrics_interface_5m: RETENTION.fiveMinute,
      metrics_health_1h: RETENTION.hourly,
      metrics_interface_1h: RETENTION.hourly,
    };
    const byTable = Object.fromEntries(
      tables.map((t) => {
        const rows = after.get(t)!.rows - before.get(t)!.rows;
        const perRow = (after.get(t)!.bytes - before.get(t)!.bytes) / Math.max(1, rows);
        const day = perRow * rowsPerDay(t);
        return [
          t,
          {
            rows,
            bytes_per_row: Math.round(perRow),
            mb_per_1000_devices_per_day: mb(day),
            retention_days: retentionOf[t],
            mb_per_1000_devices_kept: mb(day * retentionOf[t]!),
          },
        ];
      }),
    );
    const sum = (k: 'mb_per_1000_devices_per_day' | 'mb_per_1000_devices_kept') =>
      Math.round(Object.values(byTable).reduce((a, x) => a + x[k], 0) * 10) / 10;
    console.log(
      JSON.stringify({
        bench: 'storage',
        devices: DEVICES,
        hours: HOURS,
        interfaces_per_device: IFACES,
        poll_interval_seconds: 60,
        write_seconds: Math.round(writeMs / 100) / 10,
        tables: byTable,
        mb_per_1000_devices_per_day: sum('mb_per_1000_devices_per_day'),
        mb_per_1000_devices_at_default_retention: sum('mb_per_1000_devices_kept'),
      }),
    );
  } finally {
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

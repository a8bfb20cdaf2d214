import type pg from 'pg';

// 5-minute rollups from raw rows, 1-hour rollups from 5-minute ones. Each rollup keeps a watermark (the end of the
// last bucket it computed) in `timeseries_watermarks`; a run continues from there, so a worker outage leaves no
// gap. A bucket is computed only once its source is complete: it must have ended `graceMs` ago, and the source
// must already hold rows at or after the bucket's end (while ingest drains a backlog after an outage, rollups
// wait for it instead of summarising half a bucket). Recomputing a bucket replaces it (upsert), so it is safe.

type Rollup = {
  name: string;
  stepSec: number;
  /** Source table whose max(time column) shows how far data has arrived. */
  source: string;
  sourceTime: string;
  /** INSERT … SELECT for buckets in [$1, $2). */
  sql: string;
};

const HEALTH_COLS = `tenant_id, device_id, bucket, samples, cpu_avg, cpu_max, memory_free_min, memory_total,
  disk_free_min, disk_total, temperature_avg, temperature_max, voltage_avg, uptime_max`;
const HEALTH_UPDATE = `samples = excluded.samples, cpu_avg = excluded.cpu_avg, cpu_max = excluded.cpu_max,
  memory_free_min = excluded.memory_free_min, memory_total = excluded.memory_total,
  disk_free_min = excluded.disk_free_min, disk_total = excluded.disk_total,
  temperature_avg = excluded.temperature_avg, temperature_max = excluded.temperature_max,
  voltage_avg = excluded.voltage_avg, uptime_max = excluded.uptime_max`;
const IFACE_COLS = `tenant_id, device_id, interface, bucket, samples, rx_bps_avg, rx_bps_max, tx_bps_avg, tx_bps_max,
  rx_pps_avg, tx_pps_avg, running_ratio`;
const IFACE_UPDATE = `samples = excluded.samples, rx_bps_avg = excluded.rx_bps_avg, rx_bps_max = excluded.rx_bps_max,
  tx_bps_avg = excluded.tx_bps_avg, tx_bps_max = excluded.tx_bps_max, rx_pps_avg = excluded.rx_pps_avg,
  tx_pps_avg = excluded.tx_pps_avg, running_ratio = excluded.running_ratio`;

const bin = (step: string, col: string) => `date_bin('${step}', ${col}, timestamptz '2000-01-01 00:00:00+00')`;
// Weighted by samples, so an hour of 5-minute rows averages the same as the raw rows would.
const wavg = (col: string) =>
  `sum(${col} * samples) / nullif(sum(case when ${col} is null then 0 else samples end), 0)`;

export const rollups: Rollup[] = [
  {
    name: 'health_5m',
    stepSec: 300,
    source: 'metrics_health',
    sourceTime: 'time',
    sql: `insert into metrics_health_5m (${HEALTH_COLS})
      select tenant_id, device_id, ${bin('5 minutes', 'time')}, count(*), avg(cpu_load), max(cpu_load),
             min(memory_free), max(memory_total), min(disk_free), max(disk_total), avg(temperature), max(temperature),
             avg(voltage), max(uptime_seconds)
        from metrics_health where time >= $1 and time < $2 group by 1, 2, 3
      on conflict (device_id, bucket) do update set ${HEALTH_UPDATE}`,
  },
  {
    name: 'interface_5m',
    stepSec: 300,
    source: 'metrics_interface',
    sourceTime: 'time',
    sql: `insert into metrics_interface_5m (${IFACE_COLS})
      select tenant_id, device_id, interface, ${bin('5 minutes', 'time')}, count(*), avg(rx_bps), max(rx_bps),
             avg(tx_bps), max(tx_bps), avg(rx_pps), avg(tx_pps), avg(case when running then 1 else 0 end)
        from metrics_interface where time >= $1 and time < $2 group by 1, 2, 3, 4
      on conflict (device_id, interface, bucket) do update set ${IFACE_UPDATE}`,
  },
  {
    name: 'health_1h',
    stepSec: 3600,
    source: 'metrics_health_5m',
    sourceTime: 'bucket',
    sql: `insert into metrics_health_1h (${HEALTH_COLS})
      select tenant_id, device_id, ${bin('1 hour', 'bucket')}, sum(samples), ${wavg('cpu_avg')}, max(cpu_max),
             min(memory_free_min), max(memory_total), min(disk_free_min), max(disk_total), ${wavg('temperature_avg')},
             max(temperature_max), ${wavg('voltage_avg')}, max(uptime_max)
        from metrics_health_5m where bucket >= $1 and bucket < $2 group by 1, 2, 3
      on conflict (device_id, bucket) do update set ${HEALTH_UPDATE}`,
  },
  {
    name: 'interface_1h',
    stepSec: 3600,
    source: 'metrics_interface_5m',
    sourceTime: 'bucket',
    sql: `insert into metrics_interface_1h (${IFACE_COLS})
      select tenant_id, device_id, interface, ${bin('1 hour', 'bucket')}, sum(samples), ${wavg('rx_bps_avg')},
             max(rx_bps_max), ${wavg('tx_bps_avg')}, max(tx_bps_max), ${wavg('rx_pps_avg')}, ${wavg('tx_pps_avg')},
             ${wavg('running_ratio')}
        from metrics_interface_5m where bucket >= $1 and bucket < $2 group by 1, 2, 3, 4
      on conflict (device_id, interface, bucket) do update set ${IFACE_UPDATE}`,
  },
  {
    name: 'wireless_1h',
    stepSec: 3600,
    source: 'wireless_signal',
    sourceTime: 'time',
    sql: `insert into wireless_signal_1h (tenant_id, device_id, interface, mac, bucket, samples, signal_avg, signal_min,
        signal_max, snr_avg, ccq_avg, tx_rate_avg, rx_rate_avg)
      select tenant_id, device_id, interface, mac, ${bin('1 hour', 'time')}, count(*), avg(signal), min(signal),
             max(signal), avg(snr), avg(tx_ccq), avg(tx_rate_mbps), avg(rx_rate_mbps)
        from wireless_signal where time >= $1 and time < $2 group by 1, 2, 3, 4, 5
      on conflict (device_id, mac, interface, bucket) do update set samples = excluded.samples,
        signal_avg = excluded.signal_avg, signal_min = excluded.signal_min, signal_max = excluded.signal_max,
        snr_avg = excluded.snr_avg, ccq_avg = excluded.ccq_avg, tx_rate_avg = excluded.tx_rate_avg,
        rx_rate_avg = excluded.rx_rate_avg`,
  },
];

/**
 * Advances every rollup as far as its source allows, at most `maxBuckets` buckets per rollup per run (a long outage
 * catches up over several runs). Runs as `system`. Returns buckets computed per rollup.
 */
export async function runRollups(
  system: pg.Pool,
  opts: { now?: number; graceMs?: number; maxBuckets?: number; startBackMs?: number } = {},
): Promise<Record<string, number>> {
  const now = opts.now ?? Date.now();
  const grace = opts.graceMs ?? 60_000;
  const out: Record<string, number> = {};
  for (const r of rollups) {
    const stepMs = r.stepSec * 1000;
    const wm = await system.query<{ done_until: Date }>(
      'select done_until from timeseries_watermarks where name = $1',
      [r.name],
    );
    let from = wm.rows[0]?.done_until.getTime();
    if (from === undefined) {
      // First run: start from the oldest source row (or a day back), aligned to the step.
      const min = await system.query<{ t: Date | null }>(`select min(${r.sourceTime}) as t from ${r.source}`);
      from = Math.floor((min.rows[0]?.t?.getTime() ?? now - (opts.startBackMs ?? 86_400_000)) / stepMs) * stepMs;
    }
    const max = await system.query<{ t: Date | null }>(
      `select max(${r.sourceTime}) as t from ${r.source} where ${r.sourceTime} >= $1`,
      [new Date(from)],
    );
    const arrived = max.rows[0]?.t?.getTime();
    // The 1h rollup's source is complete up to the 5m watermark, not the newest 5m bucket's start.
    const sourceDone = r.source.endsWith('_5m')
      ? ((
          await system.query<{ done_until: Date }>('select done_until from timeseries_watermarks where name = $1', [
            r.name.replace('_1h', '_5m'),
          ])
        ).rows[0]?.done_until.getTime() ?? from)
      : arrived === undefined
        ? from
        : arrived;
    const limit = Math.min(now - grace, sourceDone);
    let to = Math.floor(limit / stepMs) * stepMs;
    to = Math.min(to, from + (opts.maxBuckets ?? 288) * stepMs);
    if (to <= from) {
      out[r.name] = 0;
      continue;
    }
    const c = await system.connect();
    try {
      await c.query('begin');
      await c.query(r.sql, [new Date(from), new Date(to)]);
      await c.query(
        `insert into timeseries_watermarks (name, done_until) values ($1, $2)
           on conflict (name) do update set done_until = excluded.done_until`,
        [r.name, new Date(to)],
      );
      await c.query('commit');
    } catch (err) {
      await c.query('rollback').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
    out[r.name] = (to - from) / stepMs;
  }
  return out;
}

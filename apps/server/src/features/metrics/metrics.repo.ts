import { jsonColumnsSql, jsonNumberSql } from '../../platform/db/json-columns.js';
import type { Db } from '../../platform/db/tx.js';
import type { Resolution } from './resolution.js';

// The time series `metrics_health` and `metrics_interface` (ingest appends to them inside its batch transaction;
// the API reads them and their 5-minute and hourly rollups, which platform/timeseries maintains).

// Each query selects `t` (Unix seconds) and the figures, unordered: the column aggregation below orders them.
// date_part, not extract: extract's numeric result cost more than the rest of a 30-day read.
const health = {
  raw: `select date_part('epoch', time) as t, cpu_load::float8 as cpu, memory_free::float8 as mem_free, memory_total::float8 as mem_total,
          disk_free::float8 as disk_free, disk_total::float8 as disk_total, temperature::float8 as temperature,
          voltage::float8 as voltage, uptime_seconds::float8 as uptime
        from metrics_health where device_id = $1 and time >= $2 and time < $3`,
  rollup: (
    table: string,
  ) => `select date_part('epoch', bucket) as t, cpu_avg::float8 as cpu, cpu_max::float8 as cpu_max,
          memory_free_min::float8 as mem_free, memory_total::float8 as mem_total, disk_free_min::float8 as disk_free,
          disk_total::float8 as disk_total, temperature_avg::float8 as temperature, voltage_avg::float8 as voltage,
          uptime_max::float8 as uptime
        from ${table} where device_id = $1 and bucket >= $2 and bucket < $3`,
};
const traffic = {
  raw: `select interface, date_part('epoch', time) as t, rx_bps, tx_bps, rx_pps::float8 as rx_pps, tx_pps::float8 as tx_pps
        from metrics_interface where device_id = $1 and time >= $2 and time < $3 and ($4::text[] is null or interface = any($4))`,
  rollup: (
    table: string,
  ) => `select interface, date_part('epoch', bucket) as t, rx_bps_avg as rx_bps, tx_bps_avg as tx_bps, rx_bps_max, tx_bps_max,
          rx_pps_avg::float8 as rx_pps, tx_pps_avg::float8 as tx_pps
        from ${table} where device_id = $1 and bucket >= $2 and bucket < $3 and ($4::text[] is null or interface = any($4))`,
};
const table = (kind: 'health' | 'interface', r: Resolution) => `metrics_${kind}_${r}`;

/**
 * A sample query as columns (platform/db/json-columns.ts), oldest first. `sql` selects `t` and the figures (float8,
 * finite: they come from JSON); `by` groups (one row each, in byte order: the locale's collation was a third of a
 * 30-day read of 10 interfaces).
 */
const asColumns = (sql: string, cols: string[], by?: string) =>
  `select ${by ? `${by} collate "C" as name, ` : ''}${jsonColumnsSql(
    cols.map((c) => [c, jsonNumberSql(c)]),
    't',
  )} as series
     from (${sql}) s${by ? ' group by 1 order by 1' : ''}`;
const healthCols = {
  raw: ['t', 'cpu', 'mem_free', 'mem_total', 'disk_free', 'disk_total', 'temperature', 'voltage', 'uptime'],
  rollup: [
    't',
    'cpu',
    'cpu_max',
    'mem_free',
    'mem_total',
    'disk_free',
    'disk_total',
    'temperature',
    'voltage',
    'uptime',
  ],
};
const trafficCols = {
  raw: ['t', 'rx_bps', 'tx_bps', 'rx_pps', 'tx_pps'],
  rollup: ['t', 'rx_bps', 'tx_bps', 'rx_bps_max', 'tx_bps_max', 'rx_pps', 'tx_pps'],
};

/** A sample: `t` (Unix seconds) and one number (or null) per figure. */
export type SampleRow = Record<string, unknown>;
type Num = number | null | undefined;

/** One health sample of the batch insert. */
export type HealthInsertRow = {
  tenant_id: string;
  device_id: string;
  time: string;
  cpu_load: Num;
  memory_free: Num;
  memory_total: Num;
  disk_free: Num;
  disk_total: Num;
  temperature: Num;
  voltage: Num;
  uptime_seconds: Num;
};

/** One interface sample of the batch insert. */
export type InterfaceInsertRow = {
  tenant_id: string;
  device_id: string;
  time: string;
  interface: string;
  rx_bps: Num;
  tx_bps: Num;
  rx_pps: Num;
  tx_pps: Num;
  running: boolean | null;
};

// Unique per device/interface/time, `on conflict do nothing`: a redelivered batch is not doubled.
const INSERT_HEALTH = `
insert into metrics_health (tenant_id, device_id, time, cpu_load, memory_free, memory_total, disk_free, disk_total,
                            temperature, voltage, uptime_seconds)
select x.tenant_id, x.device_id, x.time, x.cpu_load, x.memory_free, x.memory_total, x.disk_free, x.disk_total,
       x.temperature, x.voltage, x.uptime_seconds
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, time timestamptz, cpu_load smallint,
       memory_free bigint, memory_total bigint, disk_free bigint, disk_total bigint, temperature real, voltage real,
       uptime_seconds bigint)
on conflict do nothing`;

const INSERT_INTERFACES = `
insert into metrics_interface (tenant_id, device_id, time, interface, rx_bps, tx_bps, rx_pps, tx_pps, running)
select x.tenant_id, x.device_id, x.time, x.interface, x.rx_bps, x.tx_bps, x.rx_pps, x.tx_pps, x.running
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, time timestamptz, interface text,
       rx_bps float8, tx_bps float8, rx_pps real, tx_pps real, running boolean)
on conflict do nothing`;

export const metricsRepo = {
  /** Health samples of a device in [from, to) as columns of JSON text ('{}' when there are none). */
  async healthColumns(db: Db, deviceId: string, w: { from: Date; to: Date; resolution: Resolution }) {
    const raw = w.resolution === 'raw';
    const sql = raw ? health.raw : health.rollup(table('health', w.resolution));
    const r = await db.query<{ series: string }>(
      `${asColumns(sql, raw ? healthCols.raw : healthCols.rollup)} having count(*) > 0`,
      [deviceId, w.from, w.to],
    );
    return r.rows[0]?.series ?? '{}';
  },

  /** Traffic samples in [from, to) per interface (by name), each as columns of JSON text. */
  async trafficColumns(
    db: Db,
    deviceId: string,
    w: { from: Date; to: Date; resolution: Resolution },
    names?: string[],
  ) {
    const raw = w.resolution === 'raw';
    const sql = raw ? traffic.raw : traffic.rollup(table('interface', w.resolution));
    const r = await db.query<{ name: string; series: string }>(
      asColumns(sql, raw ? trafficCols.raw : trafficCols.rollup, 'interface'),
      [deviceId, w.from, w.to, names?.length ? names : null],
    );
    return r.rows;
  },

  /** The whole batch as one JSON parameter. Returns the rows inserted. */
  async insertHealth(db: Db, rows: HealthInsertRow[]) {
    if (rows.length === 0) return 0;
    return (await db.query(INSERT_HEALTH, [JSON.stringify(rows)])).rowCount ?? 0;
  },

  /** The whole batch as one JSON parameter. Returns the rows inserted. */
  async insertInterfaces(db: Db, rows: InterfaceInsertRow[]) {
    if (rows.length === 0) return 0;
    return (await db.query(INSERT_INTERFACES, [JSON.stringify(rows)])).rowCount ?? 0;
  },
};

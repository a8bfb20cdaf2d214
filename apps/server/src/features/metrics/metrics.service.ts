import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { notFound } from '../../platform/http/errors.js';
import type { Resolution } from './resolution.js';

const health = {
  raw: `select extract(epoch from time)::float8 as t, cpu_load::float8 as cpu, memory_free::float8 as mem_free, memory_total::float8 as mem_total,
          disk_free::float8 as disk_free, disk_total::float8 as disk_total, temperature::float8 as temperature,
          voltage::float8 as voltage, uptime_seconds::float8 as uptime
        from metrics_health where device_id = $1 and time >= $2 and time < $3 order by time`,
  rollup: (
    table: string,
  ) => `select extract(epoch from bucket)::float8 as t, cpu_avg::float8 as cpu, cpu_max::float8 as cpu_max,
          memory_free_min::float8 as mem_free, memory_total::float8 as mem_total, disk_free_min::float8 as disk_free,
          disk_total::float8 as disk_total, temperature_avg::float8 as temperature, voltage_avg::float8 as voltage,
          uptime_max::float8 as uptime
        from ${table} where device_id = $1 and bucket >= $2 and bucket < $3 order by bucket`,
};
const traffic = {
  raw: `select interface, extract(epoch from time)::float8 as t, rx_bps, tx_bps, rx_pps::float8 as rx_pps, tx_pps::float8 as tx_pps
        from metrics_interface where device_id = $1 and time >= $2 and time < $3 and ($4::text[] is null or interface = any($4))
        order by interface, time`,
  rollup: (
    table: string,
  ) => `select interface, extract(epoch from bucket)::float8 as t, rx_bps_avg as rx_bps, tx_bps_avg as tx_bps, rx_bps_max, tx_bps_max,
          rx_pps_avg::float8 as rx_pps, tx_pps_avg::float8 as tx_pps
        from ${table} where device_id = $1 and bucket >= $2 and bucket < $3 and ($4::text[] is null or interface = any($4))
        order by interface, bucket`,
};
const table = (kind: 'health' | 'interface', r: Resolution) => `metrics_${kind}_${r}`;

/** Rows to columns: `{ t: [...], cpu: [...] }` (t already in Unix seconds: parsing thousands of timestamps into Dates was most of the cost), what canvas chart libraries draw from without reshaping. */
function columns(rows: Record<string, unknown>[]): Record<string, (number | null)[]> {
  const out: Record<string, (number | null)[]> = {};
  if (!rows.length) return out;
  for (const key of Object.keys(rows[0]!)) out[key] = [];
  for (const row of rows)
    for (const [k, v] of Object.entries(row))
      out[k]!.push(v instanceof Date ? v.getTime() / 1000 : (v as number | null));
  return out;
}

export function createMetricsService(deps: { appPool: pg.Pool }) {
  async function inDevice<T>(actor: Actor, deviceId: string, fn: (db: pg.PoolClient) => Promise<T>) {
    assertCan(actor, 'metrics.read');
    return withTenant(deps.appPool, actor.tenantId, async (db) => {
      // RLS makes another tenant's device simply absent.
      if ((await db.query('select 1 from devices where id = $1', [deviceId])).rowCount === 0) throw notFound('device');
      return fn(db);
    });
  }

  return {
    health(actor: Actor, deviceId: string, w: { from: Date; to: Date; resolution: Resolution }) {
      return inDevice(actor, deviceId, async (db) => {
        const sql = w.resolution === 'raw' ? health.raw : health.rollup(table('health', w.resolution));
        const rows = (await db.query(sql, [deviceId, w.from, w.to])).rows;
        return {
          device_id: deviceId,
          from: w.from.toISOString(),
          to: w.to.toISOString(),
          resolution: w.resolution,
          series: columns(rows),
        };
      });
    },

    interfaces(actor: Actor, deviceId: string, w: { from: Date; to: Date; resolution: Resolution }, names?: string[]) {
      return inDevice(actor, deviceId, async (db) => {
        const sql = w.resolution === 'raw' ? traffic.raw : traffic.rollup(table('interface', w.resolution));
        const rows = (
          await db.query<{ interface: string } & Record<string, unknown>>(sql, [
            deviceId,
            w.from,
            w.to,
            names?.length ? names : null,
          ])
        ).rows;
        const byName = new Map<string, Record<string, unknown>[]>();
        for (const { interface: name, ...rest } of rows) {
          if (!byName.has(name)) byName.set(name, []);
          byName.get(name)!.push(rest);
        }
        return {
          device_id: deviceId,
          from: w.from.toISOString(),
          to: w.to.toISOString(),
          resolution: w.resolution,
          interfaces: [...byName].map(([name, r]) => ({ name, series: columns(r) })),
        };
      });
    },

    /** The latest counters and rates of every interface (updated by each poll). */
    latestInterfaces(actor: Actor, deviceId: string) {
      return inDevice(actor, deviceId, async (db) => {
        const r = await db.query<{ updated_at: Date } & Record<string, unknown>>(
          `select name, type, mac_address, running, disabled, rx_bytes::text, tx_bytes::text, rx_packets::text, tx_packets::text,
                  rx_bps, tx_bps, rx_pps, tx_pps, updated_at
             from device_interfaces where device_id = $1 order by name`,
          [deviceId],
        );
        return { items: r.rows.map((x) => ({ ...x, updated_at: x.updated_at.toISOString() })) };
      });
    },
  };
}
export type MetricsService = ReturnType<typeof createMetricsService>;

import type { Db } from '../../../platform/db/tx.js';
import type { Resolution } from '../../metrics/resolution.js';

// Read-only queries of the device report, under the tenant (RLS): the device's latest state, its interfaces with
// their traffic over the period (aggregated by PostgreSQL from the table the period's resolution uses), its alerts.

export type DeviceRow = {
  name: string;
  host: string;
  identity: string | null;
  model: string | null;
  board_name: string | null;
  serial_number: string | null;
  architecture: string | null;
  version: string | null;
  firmware: string | null;
  status: string;
  status_since: Date;
  last_seen_at: Date | null;
  uptime_seconds: number | null;
  cpu_load: number | null;
  cpu_count: number | null;
  memory_total: number | null;
  memory_free: number | null;
  disk_total: number | null;
  disk_free: number | null;
  temperature: number | null;
  voltage: number | null;
  site_name: string | null;
};

export type InterfaceRow = {
  name: string;
  type: string | null;
  mac_address: string | null;
  running: boolean | null;
  disabled: boolean | null;
  rx_avg: number | null;
  rx_max: number | null;
  tx_avg: number | null;
  tx_max: number | null;
  running_pct: number | null;
};

export type DeviceAlertRow = {
  rule_name: string;
  severity: string;
  target: string;
  started_at: Date;
  resolved_at: Date | null;
  value: number | null;
};

// Per resolution: the table and how its columns aggregate (rollups weighted by their samples).
const traffic = {
  raw: `select interface, avg(rx_bps) as rx_avg, max(rx_bps) as rx_max, avg(tx_bps) as tx_avg, max(tx_bps) as tx_max,
          100.0 * avg(case when running then 1 else 0 end) as running_pct
          from metrics_interface where device_id = $1 and time >= $2 and time < $3 group by interface`,
  rollup: (t: string) => `select interface,
          sum(rx_bps_avg * samples) / nullif(sum(samples) filter (where rx_bps_avg is not null), 0) as rx_avg,
          max(rx_bps_max) as rx_max,
          sum(tx_bps_avg * samples) / nullif(sum(samples) filter (where tx_bps_avg is not null), 0) as tx_avg,
          max(tx_bps_max) as tx_max,
          100.0 * sum(running_ratio * samples) / nullif(sum(samples) filter (where running_ratio is not null), 0) as running_pct
          from ${t} where device_id = $1 and bucket >= $2 and bucket < $3 group by interface`,
};

export const deviceQueries = {
  async device(db: Db, id: string): Promise<DeviceRow | undefined> {
    const r = await db.query<DeviceRow>(
      `select d.name, d.host, d.identity, d.model, d.board_name, d.serial_number, d.architecture, d.version, d.firmware,
              d.status, d.status_since, d.last_seen_at, d.uptime_seconds, d.cpu_load, d.cpu_count, d.memory_total,
              d.memory_free, d.disk_total, d.disk_free, d.temperature, d.voltage, s.name as site_name
         from devices d left join sites s on s.id = d.site_id where d.id = $1`,
      [id],
    );
    return r.rows[0];
  },

  /** Interfaces as last polled, with their traffic over [from, to). */
  async interfaces(db: Db, id: string, from: Date, to: Date, resolution: Resolution): Promise<InterfaceRow[]> {
    const agg = resolution === 'raw' ? traffic.raw : traffic.rollup(`metrics_interface_${resolution}`);
    const r = await db.query<InterfaceRow>(
      `select i.name, i.type, i.mac_address, i.running, i.disabled, a.rx_avg::float8 as rx_avg,
              a.rx_max::float8 as rx_max, a.tx_avg::float8 as tx_avg, a.tx_max::float8 as tx_max,
              a.running_pct::float8 as running_pct
         from device_interfaces i left join (${agg}) a on a.interface = i.name
        where i.device_id = $1 order by i.name`,
      [id, from, to],
    );
    return r.rows;
  },

  /** Alerts of the device that were open at some time in [from, to). */
  async alerts(db: Db, id: string, from: Date, to: Date, limit = 500): Promise<DeviceAlertRow[]> {
    const r = await db.query<DeviceAlertRow>(
      `select rule_name, severity, target, started_at, resolved_at, value from alert_events
        where device_id = $1 and started_at < $3 and (resolved_at is null or resolved_at > $2)
        order by started_at desc limit $4`,
      [id, from, to, limit],
    );
    return r.rows;
  },
};

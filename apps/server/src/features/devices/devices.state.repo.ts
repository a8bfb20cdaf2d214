import type { Db } from '../../platform/db/tx.js';
import type { LatestInterface } from '../metrics/metrics.schema.js';

// What polls learn about a device: the latest-state columns of `devices`, `device_interfaces` (latest counters and
// rates per interface) and `device_facts` (slower collections as documents). Ingest writes them inside its batch
// transaction (system role, every tenant): every statement takes the whole batch as one JSON parameter
// (json_to_recordset), so a batch of N results costs a fixed number of round trips, not N.

type Num = number | null | undefined;
type Text = string | null | undefined;

/** One polled device's latest state: a column of the recordset each. */
export type DeviceStateRow = {
  id: string;
  at: string;
  status: string;
  status_reason: Text;
  transport: Text;
  identity: Text;
  model: Text;
  board_name: Text;
  serial_number: Text;
  architecture: Text;
  version: Text;
  firmware: Text;
  cpu_count: Num;
  booted_at: Text;
  latest_version: Text;
  last_config_change_at: Text;
  uptime_seconds: Num;
  cpu_load: Num;
  memory_total: Num;
  memory_free: Num;
  disk_total: Num;
  disk_free: Num;
  temperature: Num;
  voltage: Num;
};

/** One interface's latest counters and rates (64-bit counters as decimal strings). */
export type InterfaceStateRow = {
  tenant_id: string;
  device_id: string;
  name: string;
  type: Text;
  mac_address: Text;
  running: boolean | null;
  disabled: boolean | null;
  rx_bytes: Text;
  tx_bytes: Text;
  rx_packets: Text;
  tx_packets: Text;
  rx_bps: Num;
  tx_bps: Num;
  rx_pps: Num;
  tx_pps: Num;
  link_speed_bps: Num;
  updated_at: string;
};

/** One collected document (identity, routerboard, neighbors, wireless, dhcp_leases, update…). */
export type FactRow = { tenant_id: string; device_id: string; kind: string; data: unknown; collected_at: string };

/** Latest state on the device row. Older results than what is stored (redelivery, reordering) do not win. */
const UPDATE_DEVICES = `
update devices d set
  status = x.status,
  status_reason = x.status_reason,
  status_since = case when d.status is distinct from x.status then x.at else d.status_since end,
  last_polled_at = x.at,
  last_seen_at = case when x.status <> 'offline' then x.at else d.last_seen_at end,
  transport = coalesce(x.transport, d.transport),
  identity = coalesce(x.identity, d.identity),
  model = coalesce(x.model, d.model),
  board_name = coalesce(x.board_name, d.board_name),
  serial_number = coalesce(x.serial_number, d.serial_number),
  architecture = coalesce(x.architecture, d.architecture),
  version = coalesce(x.version, d.version),
  firmware = coalesce(x.firmware, d.firmware),
  cpu_count = coalesce(x.cpu_count, d.cpu_count),
  booted_at = coalesce(x.booted_at, d.booted_at),
  latest_version = coalesce(x.latest_version, d.latest_version),
  last_config_change_at = coalesce(x.last_config_change_at, d.last_config_change_at),
  uptime_seconds = case when x.status <> 'offline' then x.uptime_seconds else d.uptime_seconds end,
  cpu_load = case when x.status <> 'offline' then x.cpu_load else d.cpu_load end,
  memory_total = case when x.status <> 'offline' then x.memory_total else d.memory_total end,
  memory_free = case when x.status <> 'offline' then x.memory_free else d.memory_free end,
  disk_total = case when x.status <> 'offline' then x.disk_total else d.disk_total end,
  disk_free = case when x.status <> 'offline' then x.disk_free else d.disk_free end,
  temperature = case when x.status <> 'offline' then x.temperature else d.temperature end,
  voltage = case when x.status <> 'offline' then x.voltage else d.voltage end
from json_to_recordset($1::json) as x(
  id uuid, at timestamptz, status text, status_reason text, transport text, identity text, model text,
  board_name text, serial_number text, architecture text, version text, firmware text, cpu_count smallint,
  booted_at timestamptz, latest_version text, last_config_change_at timestamptz, uptime_seconds bigint, cpu_load smallint, memory_total bigint,
  memory_free bigint, disk_total bigint, disk_free bigint, temperature real, voltage real)
where d.id = x.id and (d.last_polled_at is null or d.last_polled_at <= x.at)`;

// Only for devices that still exist (a device deleted while its result was in flight is skipped, not an error).
const UPSERT_LATEST_INTERFACES = `
insert into device_interfaces (tenant_id, device_id, name, type, mac_address, running, disabled, rx_bytes, tx_bytes,
                               rx_packets, tx_packets, rx_bps, tx_bps, rx_pps, tx_pps, link_speed_bps, updated_at)
select x.tenant_id, x.device_id, x.name, x.type, x.mac_address, x.running, x.disabled, x.rx_bytes, x.tx_bytes,
       x.rx_packets, x.tx_packets, x.rx_bps, x.tx_bps, x.rx_pps, x.tx_pps, x.link_speed_bps, x.updated_at
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, name text, type text, mac_address text,
       running boolean, disabled boolean, rx_bytes numeric, tx_bytes numeric, rx_packets numeric, tx_packets numeric,
       rx_bps float8, tx_bps float8, rx_pps real, tx_pps real, link_speed_bps bigint, updated_at timestamptz)
 where exists (select 1 from devices d where d.id = x.device_id)
on conflict (device_id, name) do update set type = excluded.type, mac_address = excluded.mac_address,
  running = excluded.running, disabled = excluded.disabled, rx_bytes = excluded.rx_bytes,
  tx_bytes = excluded.tx_bytes, rx_packets = excluded.rx_packets, tx_packets = excluded.tx_packets,
  rx_bps = excluded.rx_bps, tx_bps = excluded.tx_bps, rx_pps = excluded.rx_pps, tx_pps = excluded.tx_pps,
  link_speed_bps = excluded.link_speed_bps, updated_at = excluded.updated_at
  where device_interfaces.updated_at <= excluded.updated_at`;

const UPSERT_FACTS = `
insert into device_facts (tenant_id, device_id, kind, data, collected_at)
select x.tenant_id, x.device_id, x.kind, x.data, x.collected_at
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, kind text, data jsonb, collected_at timestamptz)
 where exists (select 1 from devices d where d.id = x.device_id)
on conflict (device_id, kind) do update set data = excluded.data, collected_at = excluded.collected_at
  where device_facts.collected_at <= excluded.collected_at`;

const json = (v: unknown) => JSON.stringify(v);

export const devicesStateRepo = {
  /** Returns the device rows updated. */
  async updateLatest(db: Db, rows: DeviceStateRow[]) {
    if (rows.length === 0) return 0;
    return (await db.query(UPDATE_DEVICES, [json(rows)])).rowCount ?? 0;
  },

  /** Returns the interface rows inserted or updated. */
  async upsertInterfaces(db: Db, rows: InterfaceStateRow[]) {
    if (rows.length === 0) return 0;
    return (await db.query(UPSERT_LATEST_INTERFACES, [json(rows)])).rowCount ?? 0;
  },

  /** Returns the documents inserted or updated. */
  async upsertFacts(db: Db, rows: FactRow[]) {
    if (rows.length === 0) return 0;
    return (await db.query(UPSERT_FACTS, [json(rows)])).rowCount ?? 0;
  },

  /** The latest counters and rates of every interface of a device, by name (64-bit counters as text). */
  async interfaces(db: Db, deviceId: string) {
    const r = await db.query<Omit<LatestInterface, 'updated_at'> & { updated_at: Date }>(
      `select name, type, mac_address, running, disabled, rx_bytes::text, tx_bytes::text, rx_packets::text, tx_packets::text,
                  rx_bps, tx_bps, rx_pps, tx_pps, updated_at
             from device_interfaces where device_id = $1 order by name`,
      [deviceId],
    );
    return r.rows;
  },
};

import type pg from 'pg';
import type { PollResult } from '../poller/types.js';

// Batched writes of poll results: every statement takes the whole batch as one JSON parameter
// (json_to_recordset), so a batch of N results costs a fixed number of round trips, not N.
// Runs as `system` (BYPASSRLS): ingest writes for every tenant.

const json = (v: unknown) => JSON.stringify(v);

/** A health sample as the columns of both the device row and metrics_health. */
const healthColumns = (h: PollResult['health']) => ({
  cpu_load: h?.cpuLoad,
  memory_free: h?.memoryFree,
  memory_total: h?.memoryTotal,
  disk_free: h?.diskFree,
  disk_total: h?.diskTotal,
  temperature: h?.temperature,
  voltage: h?.voltage,
  uptime_seconds: h?.uptimeSeconds,
});

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

// Only for devices that still exist (a device deleted while its result was in flight is skipped, not an error).
const UPSERT_LATEST_INTERFACES = `
insert into device_interfaces (tenant_id, device_id, name, type, mac_address, running, disabled, rx_bytes, tx_bytes,
                               rx_packets, tx_packets, rx_bps, tx_bps, rx_pps, tx_pps, updated_at)
select x.tenant_id, x.device_id, x.name, x.type, x.mac_address, x.running, x.disabled, x.rx_bytes, x.tx_bytes,
       x.rx_packets, x.tx_packets, x.rx_bps, x.tx_bps, x.rx_pps, x.tx_pps, x.updated_at
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, name text, type text, mac_address text,
       running boolean, disabled boolean, rx_bytes numeric, tx_bytes numeric, rx_packets numeric, tx_packets numeric,
       rx_bps float8, tx_bps float8, rx_pps real, tx_pps real, updated_at timestamptz)
 where exists (select 1 from devices d where d.id = x.device_id)
on conflict (device_id, name) do update set type = excluded.type, mac_address = excluded.mac_address,
  running = excluded.running, disabled = excluded.disabled, rx_bytes = excluded.rx_bytes,
  tx_bytes = excluded.tx_bytes, rx_packets = excluded.rx_packets, tx_packets = excluded.tx_packets,
  rx_bps = excluded.rx_bps, tx_bps = excluded.tx_bps, rx_pps = excluded.rx_pps, tx_pps = excluded.tx_pps,
  updated_at = excluded.updated_at
  where device_interfaces.updated_at <= excluded.updated_at`;

const INSERT_EVENTS = `
insert into events (tenant_id, device_id, type, severity, message, details, created_at)
select x.tenant_id, x.device_id, x.type, x.severity, x.message, x.details, x.created_at
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, type text, severity text, message text,
       details jsonb, created_at timestamptz)
 where exists (select 1 from devices d where d.id = x.device_id)
returning id, tenant_id, device_id, type, severity, message, details, created_at`;

const UPSERT_FACTS = `
insert into device_facts (tenant_id, device_id, kind, data, collected_at)
select x.tenant_id, x.device_id, x.kind, x.data, x.collected_at
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, kind text, data jsonb, collected_at timestamptz)
 where exists (select 1 from devices d where d.id = x.device_id)
on conflict (device_id, kind) do update set data = excluded.data, collected_at = excluded.collected_at
  where device_facts.collected_at <= excluded.collected_at`;

export type StoredEvent = {
  id: string;
  tenant_id: string;
  device_id: string;
  type: string;
  severity: string;
  message: string;
  details: Record<string, unknown>;
  created_at: Date;
};

export type WriteCounts = { devices: number; health: number; interfaces: number; events: number; facts: number };

/** Writes a batch in one transaction. Returns row counts and the stored events (for the live bus). */
export async function writeResults(
  system: pg.Pool,
  results: PollResult[],
): Promise<{ counts: WriteCounts; events: StoredEvent[] }> {
  const devices = results.map((r) => ({
    id: r.deviceId,
    at: r.at,
    status: r.status,
    status_reason: r.statusReason,
    transport: r.transport,
    identity: r.device.identity,
    model: r.device.model,
    board_name: r.device.boardName,
    serial_number: r.device.serialNumber,
    architecture: r.device.architecture,
    version: r.device.version,
    firmware: r.device.firmware,
    cpu_count: r.device.cpuCount,
    booted_at: r.device.bootedAt,
    latest_version: r.device.latestVersion,
    last_config_change_at: r.device.lastConfigChangeAt,
    ...healthColumns(r.health),
  }));
  const health = results
    .filter((r) => r.health)
    .map((r) => ({
      tenant_id: r.tenantId,
      device_id: r.deviceId,
      time: r.at,
      ...healthColumns(r.health),
    }));
  const ifaceRows: unknown[] = [];
  const latest: unknown[] = [];
  const events: unknown[] = [];
  const facts: unknown[] = [];
  for (const r of results) {
    for (const i of r.interfaces ?? []) {
      ifaceRows.push({
        tenant_id: r.tenantId,
        device_id: r.deviceId,
        time: r.at,
        interface: i.name,
        rx_bps: i.rxBps,
        tx_bps: i.txBps,
        rx_pps: i.rxPps,
        tx_pps: i.txPps,
        running: i.running,
      });
      latest.push({
        tenant_id: r.tenantId,
        device_id: r.deviceId,
        name: i.name,
        type: i.type,
        mac_address: i.macAddress,
        running: i.running,
        disabled: i.disabled,
        rx_bytes: i.rxBytes,
        tx_bytes: i.txBytes,
        rx_packets: i.rxPackets,
        tx_packets: i.txPackets,
        rx_bps: i.rxBps,
        tx_bps: i.txBps,
        rx_pps: i.rxPps,
        tx_pps: i.txPps,
        updated_at: r.at,
      });
    }
    for (const e of r.events)
      events.push({ tenant_id: r.tenantId, device_id: r.deviceId, ...e, details: e.details, created_at: r.at });
    for (const [kind, data] of Object.entries(r.facts))
      facts.push({ tenant_id: r.tenantId, device_id: r.deviceId, kind, data, collected_at: r.at });
  }

  const c = await system.connect();
  try {
    await c.query('begin');
    const d = await c.query(UPDATE_DEVICES, [json(devices)]);
    const h = health.length ? await c.query(INSERT_HEALTH, [json(health)]) : { rowCount: 0 };
    const i = ifaceRows.length ? await c.query(INSERT_INTERFACES, [json(ifaceRows)]) : { rowCount: 0 };
    if (latest.length) await c.query(UPSERT_LATEST_INTERFACES, [json(latest)]);
    const e = events.length ? await c.query<StoredEvent>(INSERT_EVENTS, [json(events)]) : { rowCount: 0, rows: [] };
    const f = facts.length ? await c.query(UPSERT_FACTS, [json(facts)]) : { rowCount: 0 };
    await c.query('commit');
    return {
      counts: {
        devices: d.rowCount ?? 0,
        health: h.rowCount ?? 0,
        interfaces: i.rowCount ?? 0,
        events: e.rowCount ?? 0,
        facts: f.rowCount ?? 0,
      },
      events: e.rows,
    };
  } catch (err) {
    await c.query('rollback').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

import type pg from 'pg';
import { type Db, withSystem } from '../../platform/db/tx.js';
import { recordEvents } from '../../platform/events/record.js';
import {
  type DeviceStateRow,
  devicesStateRepo,
  type FactRow,
  type InterfaceStateRow,
} from '../devices/devices.state.repo.js';
import { domainEventsOf } from '../events/events.domain.js';
import { type EventInsertRow, eventsRepo } from '../events/events.repo.js';
import { type HealthInsertRow, type InterfaceInsertRow, metricsRepo } from '../metrics/metrics.repo.js';
import type { PollResult } from '../poller/types.js';

// A batch of poll results becomes one transaction with one statement per table, each taking the whole batch as one
// JSON parameter (the repositories of the features that own the tables: devices, metrics, events), so N results
// cost a fixed number of round trips, not N. Runs as `system` (BYPASSRLS): ingest writes for every tenant.

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

export type WriteCounts = { devices: number; health: number; interfaces: number; events: number; facts: number };
export type BatchWritten = { counts: WriteCounts; failedConsumers: Array<{ name: string; error: unknown }> };

/**
 * Another feature's work on each batch, in the same transaction (alert evaluation, device logs): it commits with the
 * results or not at all. Each runs in a savepoint: one that throws loses its own writes, never the results.
 */
export type ResultConsumer = { name: string; consume: (db: Db, results: PollResult[]) => Promise<unknown> };

/** Writes a batch in one transaction. Returns row counts. */
export function writeResults(
  system: pg.Pool,
  results: PollResult[],
  consumers: readonly ResultConsumer[] = [],
): Promise<BatchWritten> {
  return withSystem(system, async (db) => {
    const counts = await writeBatch(db, results);
    const failedConsumers: BatchWritten['failedConsumers'] = [];
    for (const c of consumers) {
      await db.query('savepoint consumer');
      try {
        await c.consume(db, results);
        await db.query('release savepoint consumer');
      } catch (error) {
        await db.query('rollback to savepoint consumer');
        failedConsumers.push({ name: c.name, error });
      }
    }
    return { counts, failedConsumers };
  });
}

/** The statements of one batch, on the caller's transaction. */
async function writeBatch(db: Db, results: PollResult[]): Promise<WriteCounts> {
  const devices: DeviceStateRow[] = results.map((r) => ({
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
  const health: HealthInsertRow[] = results
    .filter((r) => r.health)
    .map((r) => ({
      tenant_id: r.tenantId,
      device_id: r.deviceId,
      time: r.at,
      ...healthColumns(r.health),
    }));
  const ifaceRows: InterfaceInsertRow[] = [];
  const latest: InterfaceStateRow[] = [];
  const events: EventInsertRow[] = [];
  const facts: FactRow[] = [];
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
        link_speed_bps: i.linkSpeedBps ?? null,
        updated_at: r.at,
      });
    }
    for (const e of r.events)
      events.push({ tenant_id: r.tenantId, device_id: r.deviceId, ...e, details: e.details, created_at: r.at });
    for (const [kind, data] of Object.entries(r.facts))
      facts.push({ tenant_id: r.tenantId, device_id: r.deviceId, kind, data, collected_at: r.at });
  }

  const d = await devicesStateRepo.updateLatest(db, devices);
  const h = await metricsRepo.insertHealth(db, health);
  const i = await metricsRepo.insertInterfaces(db, ifaceRows);
  await devicesStateRepo.upsertInterfaces(db, latest);
  const stored = await eventsRepo.insertBatch(db, events);
  // The same events as domain events, in the same transaction: handlers and the live stream see them once committed.
  await recordEvents(db, domainEventsOf(stored));
  const f = await devicesStateRepo.upsertFacts(db, facts);
  return { devices: d, health: h, interfaces: i, events: stored.length, facts: f };
}

import type { Db } from '../../platform/db/tx.js';
import type { PollResult } from '../poller/types.js';

// The latest figures TOD holds for every device of the tenant (the devices row, its interfaces, its wireless
// table), shaped as a poll result, so a rule preview reads them with the same metric definitions evaluation uses.

export async function latestResults(db: Db): Promise<Map<string, { name: string; result: PollResult }>> {
  const r = await db.query(
    `select d.id, d.tenant_id, d.name, d.status, d.cpu_load, d.memory_free, d.memory_total, d.disk_free, d.disk_total,
            d.temperature, d.voltage, d.uptime_seconds,
            (select coalesce(json_agg(json_build_object('name', i.name, 'running', i.running, 'disabled', i.disabled,
                    'rx_bps', i.rx_bps, 'tx_bps', i.tx_bps, 'link_speed_bps', i.link_speed_bps)), '[]')
               from device_interfaces i where i.device_id = d.id) as interfaces,
            (select f.data from device_facts f where f.device_id = d.id and f.kind = 'wireless') as wireless
       from devices d order by d.id`,
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const out = new Map<string, { name: string; result: PollResult }>();
  for (const d of r.rows) {
    const result: PollResult = {
      v: 1,
      tenantId: d.tenant_id,
      deviceId: d.id,
      pollerId: 'preview',
      at: new Date().toISOString(),
      durationMs: 0,
      status: d.status,
      statusReason: null,
      statusMessage: null,
      transport: null,
      device: {},
      health: {
        cpuLoad: num(d.cpu_load),
        memoryFree: num(d.memory_free),
        memoryTotal: num(d.memory_total),
        diskFree: num(d.disk_free),
        diskTotal: num(d.disk_total),
        temperature: num(d.temperature),
        voltage: num(d.voltage),
        uptimeSeconds: num(d.uptime_seconds),
      },
      interfaces: (d.interfaces as Array<Record<string, unknown>>).map((i) => ({
        name: String(i.name),
        type: null,
        macAddress: null,
        running: (i.running as boolean | null) ?? null,
        disabled: (i.disabled as boolean | null) ?? null,
        rxBytes: null,
        txBytes: null,
        rxPackets: null,
        txPackets: null,
        rxBps: num(i.rx_bps),
        txBps: num(i.tx_bps),
        rxPps: null,
        txPps: null,
        linkSpeedBps: num(i.link_speed_bps),
      })),
      facts: d.wireless ? { wireless: d.wireless } : {},
      events: [],
    };
    out.set(d.id, { name: d.name, result });
  }
  return out;
}

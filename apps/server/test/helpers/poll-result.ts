import { randomUUID } from 'node:crypto';
import type { InterfaceSample, PollResult } from '../../src/features/poller/types.js';
import { withSystem } from '../../src/platform/db/tx.js';
import type { TestContext } from './context.js';

// A poll result as the poller publishes it, with chosen figures: for tests (and benches) that feed ingest directly.

export function pollResult(
  tenantId: string,
  deviceId: string,
  o: { at?: Date | number | string; cpu?: number; temperature?: number } & Omit<Partial<PollResult>, 'at'> = {},
): PollResult {
  const { at, cpu, temperature, ...over } = o;
  return {
    v: 1,
    tenantId,
    deviceId,
    pollerId: 'test',
    at: new Date(at ?? Date.now()).toISOString(),
    durationMs: 1,
    status: 'online',
    statusReason: null,
    statusMessage: null,
    transport: 'plain',
    device: {},
    health: {
      cpuLoad: cpu ?? 10,
      memoryFree: 60,
      memoryTotal: 100,
      diskFree: 60,
      diskTotal: 100,
      temperature: temperature ?? 40,
      voltage: 24,
      uptimeSeconds: 1000,
    },
    interfaces: [],
    facts: {},
    events: [],
    ...over,
  };
}

/** An interface as a poll reports it, running, with no traffic figures. */
export function interfaceSample(name: string, macAddress: string | null, type = 'ether'): InterfaceSample {
  return {
    name,
    type,
    macAddress,
    running: true,
    disabled: false,
    rxBytes: '0',
    txBytes: '0',
    rxPackets: '0',
    txPackets: '0',
    rxBps: null,
    txBps: null,
    rxPps: null,
    txPps: null,
  };
}

let hosts = 0;
/** A device row of `tenantId` (no router behind it; a unique documentation address). */
export async function insertDevice(ctx: Pick<TestContext, 'pools'>, tenantId: string, name?: string): Promise<string> {
  const id = randomUUID();
  const n = hosts++;
  await withSystem(ctx.pools.system, (db) =>
    db.query(
      `insert into devices (id, tenant_id, name, host, username, password_enc) values ($1, $2, $3, $4, 'a', '\\x00')`,
      [id, tenantId, name ?? `r-${id.slice(0, 8)}`, `198.18.${Math.floor(n / 250) % 250}.${n % 250}`],
    ),
  );
  return id;
}

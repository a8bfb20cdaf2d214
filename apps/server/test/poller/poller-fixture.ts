import { randomUUID } from 'node:crypto';
import type { Fleet } from '@tod/simulator';
import pino from 'pino';
import { Registry } from 'prom-client';
import { devicePasswordContext } from '../../src/features/devices/credentials.js';
import type { ResultConsumer } from '../../src/features/ingest/ingest.batch.js';
import { startIngest } from '../../src/features/ingest/ingest.js';
import { type PollerOptions, startPoller } from '../../src/features/poller/poller.js';
import { createMemoryBus } from '../../src/platform/bus/memory.js';
import type { Bus } from '../../src/platform/bus/types.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { useByWorker } from '../../src/platform/kms/key-use.js';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import type { TestContext } from '../helpers/context.js';

// Shared by the poller/ingest tests: a tenant, devices pointing at a simulated fleet, a poller and ingest wired
// over a bus, and waiting on database state.

export const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export const fastOptions = (over: Partial<PollerOptions> = {}): PollerOptions => ({
  intervalMs: 2000,
  concurrency: 50,
  connectTimeoutMs: 1500,
  commandTimeoutMs: 1500,
  breaker: { maxFailures: 100, baseMs: 1000, maxMs: 4000 },
  slowIntervalMs: 60_000,
  heartbeatMs: 300,
  flushMs: 50,
  ...over,
});

export async function createTenant(ctx: TestContext, name = `T ${randomUUID().slice(0, 8)}`): Promise<string> {
  return withSystem(ctx.pools.system, async (db) => {
    const r = await db.query<{ id: string }>('insert into tenants (name) values ($1) returning id', [name]);
    return r.rows[0]!.id;
  });
}

export type DeviceRow = { id: string; index: number };

/** Adds one device per simulated device (or per `indexes`), with the simulator's credentials unless overridden. */
export async function addDevices(
  ctx: TestContext,
  tenantId: string,
  fleet: Fleet,
  o: { indexes?: number[]; password?: (i: number) => string | undefined; tlsMode?: (i: number) => string } = {},
): Promise<DeviceRow[]> {
  const out: DeviceRow[] = [];
  const indexes = o.indexes ?? fleet.devices.map((d) => d.index);
  const rows: unknown[][] = [];
  for (const i of indexes) {
    const d = fleet.devices[i]!;
    const id = randomUUID();
    const pw = o.password?.(i) ?? d.password;
    const enc = await ctx.services.envelope.encrypt(
      tenantId,
      pw,
      devicePasswordContext(id),
      useByWorker('test', 'seal'),
    );
    rows.push([
      id,
      tenantId,
      `sim-${i}`,
      d.address,
      d.port,
      d.tlsPort ?? 8729,
      o.tlsMode?.(i) ?? 'auto',
      d.username,
      enc,
    ]);
    out.push({ id, index: i });
  }
  await withSystem(ctx.pools.system, async (db) => {
    for (const r of rows)
      await db.query(
        `insert into devices (id, tenant_id, name, host, port, tls_port, tls_mode, username, password_enc)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        r,
      );
  });
  return out;
}

export async function startPipeline(
  ctx: TestContext,
  o: { options?: Partial<PollerOptions>; bus?: Bus; ingest?: boolean; consumers?: ResultConsumer[] } = {},
) {
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }));
  const registry = new Registry();
  const bus = o.bus ?? createMemoryBus({ log });
  const ingest =
    o.ingest === false
      ? undefined
      : await startIngest({ system: ctx.pools.system, bus, log, registry, consumers: o.consumers ?? [] });
  const poller = await startPoller({
    system: ctx.pools.system,
    access: ctx.services.deviceAccess,
    bus,
    log,
    registry,
    options: fastOptions(o.options),
  });
  return {
    bus,
    poller,
    registry,
    async stop() {
      await poller.stop();
      await ingest?.stop();
    },
  };
}

export type DeviceView = {
  status: string;
  status_reason: string | null;
  version: string | null;
  identity: string | null;
  transport: string | null;
  tls_fingerprint: string | null;
  uptime_seconds: string | null;
  cpu_load: number | null;
  last_polled_at: Date | null;
};

export async function device(ctx: TestContext, id: string): Promise<DeviceView> {
  const r = await ctx.pools.system.query<DeviceView>('select * from devices where id = $1', [id]);
  return r.rows[0]!;
}

/** Polls `check` until it returns a truthy value or `ms` passes (then throws with the last value). */
export async function waitFor<T>(what: string, check: () => Promise<T>, ms = 15_000): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

export async function events(
  ctx: TestContext,
  deviceId: string,
): Promise<Array<{ type: string; message: string; details: Record<string, unknown> }>> {
  const r = await ctx.pools.system.query('select type, message, details from events where device_id = $1 order by id', [
    deviceId,
  ]);
  return r.rows;
}

import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest } from '../../src/features/ingest/ingest.js';
import type { PollResult } from '../../src/features/poller/types.js';
import { createMemoryBus } from '../../src/platform/bus/memory.js';
import type { LiveMessage } from '../../src/platform/bus/types.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { startEventDispatcher } from '../../src/platform/events/index.js';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createTenant, log, waitFor } from '../poller/poller-fixture.js';

let ctx: TestContext;
let tenant: string;
beforeAll(async () => {
  ctx = await createTestContext();
  tenant = await createTenant(ctx);
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }));
});
afterAll(async () => ctx?.close());

async function addDevice(): Promise<string> {
  const id = randomUUID();
  await withSystem(ctx.pools.system, (db) =>
    db.query(
      `insert into devices (id, tenant_id, name, host, username, password_enc) values ($1, $2, $3, $4, 'a', '\\x00')`,
      [id, tenant, `d-${id.slice(0, 6)}`, `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`],
    ),
  );
  return id;
}

function result(deviceId: string, over: Partial<PollResult> = {}, at = new Date()): PollResult {
  return {
    v: 1,
    tenantId: tenant,
    deviceId,
    pollerId: randomUUID(),
    at: at.toISOString(),
    durationMs: 3,
    status: 'online',
    statusReason: null,
    statusMessage: null,
    transport: 'plain',
    device: { version: '7.16', identity: 'r1' },
    health: {
      cpuLoad: 5,
      memoryFree: 1,
      memoryTotal: 2,
      diskFree: 3,
      diskTotal: 4,
      temperature: 40,
      voltage: 24,
      uptimeSeconds: 100,
    },
    interfaces: [
      {
        name: 'ether1',
        type: 'ether',
        macAddress: 'AA:BB:CC:DD:EE:FF',
        running: true,
        disabled: false,
        rxBytes: '18446744073709551615',
        txBytes: '1',
        rxPackets: '2',
        txPackets: '3',
        rxBps: 1000,
        txBps: 10,
        rxPps: 1,
        txPps: 1,
      },
    ],
    facts: { neighbors: [{ identity: 'n1' }] },
    events: [
      { type: 'device.online', severity: 'info', message: 'Device is online', details: { previous: 'unknown' } },
    ],
    ...over,
  };
}

describe('ingest', () => {
  it('writes a batch, ignores redelivered and older results, skips deleted devices, and publishes live updates', async () => {
    const bus = createMemoryBus({ log });
    const ingest = await startIngest({ system: ctx.pools.system, bus, log, registry: new Registry() });
    // Device events go live through the domain-event dispatcher once committed, as in the worker role.
    const dispatcher = await startEventDispatcher({
      systemPool: ctx.pools.system,
      handlers: [],
      log,
      registry: new Registry(),
      bus,
      toLive: ctx.services.assembly.toLive,
    });
    const a = await addDevice();
    const live: LiveMessage[] = [];
    const unsubscribe = bus.subscribeTenant(tenant, (m) => live.push(m));
    const first = result(a);
    await bus.publishResults([first, result(randomUUID())]); // the second device does not exist (deleted)
    await waitFor(
      'written',
      async () =>
        (await ctx.pools.system.query('select status from devices where id = $1', [a])).rows[0].status === 'online',
    );
    await bus.publishResults([first]); // redelivery
    const older = result(
      a,
      { status: 'offline', statusReason: 'timeout', health: null, interfaces: null, events: [] },
      new Date(Date.now() - 60_000),
    );
    await bus.publishResults([older]);
    await new Promise((r) => setTimeout(r, 300));
    const d = (await ctx.pools.system.query('select * from devices where id = $1', [a])).rows[0];
    expect(d).toMatchObject({ status: 'online', identity: 'r1', version: '7.16', cpu_load: 5, temperature: 40 });
    expect(
      (await ctx.pools.system.query('select count(*)::int as n from metrics_health where device_id = $1', [a])).rows[0]
        .n,
    ).toBe(1);
    const iface = (
      await ctx.pools.system.query('select rx_bytes::text from device_interfaces where device_id = $1', [a])
    ).rows[0];
    expect(iface.rx_bytes).toBe('18446744073709551615'); // 2^64 - 1 kept exactly
    expect((await ctx.pools.system.query('select kind from device_facts where device_id = $1', [a])).rows).toEqual([
      { kind: 'neighbors' },
    ]);
    expect(live.some((m) => m.type === 'device.state' && m.deviceId === a)).toBe(true);
    await waitFor('live device event', async () =>
      live.some((m) => m.type === 'device.event' && (m.event as { type: string }).type === 'device.online'),
    );
    // The redelivered result stored its event once, and it became one domain event.
    const once = await ctx.pools.system.query(
      `select (select count(*)::int from events where device_id = $1) as events,
              (select count(*)::int from domain_events where device_id = $1 and type = 'device.online') as domain`,
      [a],
    );
    expect(once.rows[0]).toEqual({ events: 1, domain: 1 });
    unsubscribe();
    await dispatcher.stop();
    await ingest.stop();
  });

  it('drops a result the database refuses without blocking the rest of its batch', async () => {
    const bus = createMemoryBus({ log });
    const ingest = await startIngest({ system: ctx.pools.system, bus, log, registry: new Registry() });
    const good = await addDevice();
    const bad = await addDevice();
    const poison = result(bad, {
      events: [{ type: 'Not A Valid Type', severity: 'info', message: 'x', details: {} }],
    });
    await bus.publishResults([result(good), poison]);
    await waitFor(
      'good written',
      async () =>
        (await ctx.pools.system.query('select status from devices where id = $1', [good])).rows[0].status === 'online',
    );
    expect((await ctx.pools.system.query('select status from devices where id = $1', [bad])).rows[0].status).toBe(
      'unknown',
    );
    // The queue keeps moving.
    const next = await addDevice();
    await bus.publishResults([result(next)]);
    await waitFor(
      'next written',
      async () =>
        (await ctx.pools.system.query('select status from devices where id = $1', [next])).rows[0].status === 'online',
    );
    await ingest.stop();
  });
});

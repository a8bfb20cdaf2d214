import { type Fleet, startFleet } from '@tod/simulator';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintainLogPartitions } from '../../src/features/device-logs/device-logs.partitions.js';
import { deviceLogsRepo } from '../../src/features/device-logs/device-logs.repo.js';
import { startIngest } from '../../src/features/ingest/ingest.js';
import type { ClaimedDevice } from '../../src/features/poller/claim.js';
import { DeviceState } from '../../src/features/poller/device-state.js';
import {
  collectLogs,
  MAX_BYTES_PER_POLL,
  MAX_LINES_PER_POLL,
  MAX_PENDING_LINES,
} from '../../src/features/poller/logs.js';
import { type PollDeps, pollDevice } from '../../src/features/poller/poll.js';
import { startPoller } from '../../src/features/poller/poller.js';
import type { PollResult } from '../../src/features/poller/types.js';
import { createMemoryBus } from '../../src/platform/bus/memory.js';
import { Gate } from '../../src/platform/concurrency/gate.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { addDevices, createTenant, type DeviceRow, fastOptions, log, waitFor } from '../poller/poller-fixture.js';

// The poller reading each router's /log over its own session (a real simulated RouterOS 7 and 6 over TCP): the whole
// buffer at the first look, then only new lines (followed as the router logs them), the whole buffer again after a
// reboot or when ids go backwards, bounded per poll; and stored once each whatever is sent twice.

let ctx: TestContext;
let fleet: Fleet;
let tenant: string;
let devs: DeviceRow[];
const counted = { collected: 0, dropped: 0 };
let deps: PollDeps;

beforeAll(async () => {
  ctx = await createTestContext();
  await maintainLogPartitions(ctx.pools.owner, 30, { behindDays: 1 });
  fleet = await startFleet({
    devices: 3,
    base: { users: [{ name: 'admin', password: 'sim-pass' }], uptimeMs: 3_600_000, rebootDelayMs: 300 },
    spec: (i) => (i === 1 ? { version: '6.49.10' } : {}),
  });
  tenant = await createTenant(ctx);
  devs = await addDevices(ctx, tenant, fleet, { tlsMode: () => 'plain' });
  deps = {
    access: ctx.services.deviceAccess,
    pollerId: '00000000-0000-4000-8000-000000000001',
    connectTimeoutMs: 2000,
    commandTimeoutMs: 3000,
    slowIntervalMs: 3_600_000,
    linksIntervalMs: 3_600_000,
    connectSlots: new Gate(10),
    onLogLines: (c, d) => {
      counted.collected += c;
      counted.dropped += d;
    },
  };
}, 60_000);
afterAll(async () => {
  await fleet?.stop();
  await ctx?.close();
});

const claimOf = (i: number): ClaimedDevice => ({
  device_id: devs[i]!.id,
  due_at: new Date(),
  tenant_id: tenant,
  config_version: 1,
  disabled: false,
  status: 'unknown',
  uptime_seconds: null,
  booted_at: null,
  version: null,
  identity: null,
});
const newState = (i: number) => new DeviceState(devs[i]!.id, { maxFailures: 100, baseMs: 100, maxMs: 100 });
/** What the device has in its log, as the poller should report it (its clock is UTC; times to the second). */
const expected = (i: number, fromIndex = 0) =>
  fleet
    .device(i)
    .logs.slice(fromIndex)
    .map((e) => ({
      id: `*${e.id.toString(16).toUpperCase()}`,
      time: new Date(Math.floor(e.time / 1000) * 1000).toISOString(),
      topics: e.topics.split(','),
      message: e.message,
    }));
const store = (results: PollResult[]) =>
  withSystem(ctx.pools.system, (db) => deviceLogsRepo.insertFromResults(db, results));
const stored = async (i: number) =>
  Number(
    (await ctx.pools.system.query('select count(*) from device_logs where device_id = $1', [devs[i]!.id])).rows[0]
      .count,
  );

describe('collecting /log through the poller session', () => {
  for (const i of [0, 1]) {
    it(`RouterOS ${i === 0 ? '7' : '6'}: the whole buffer first, then only new lines, nothing when quiet`, async () => {
      const d = fleet.device(i);
      const state = newState(i);
      const r1 = await pollDevice(deps, state, claimOf(i));
      expect(r1.status).toBe('online');
      // The buffer as it was when the catch-up ran (the poller's own login is in it).
      expect(r1.logs).toEqual(expected(i).slice(0, r1.logs!.length));
      expect(r1.logs!.map((l) => l.message)).toContain('router rebooted');
      expect(r1.logs!.some((l) => /^user admin logged in from .* via api$/.test(l.message))).toBe(true);
      const seen = d.logs.length;

      d.log('script,info', 'backup done');
      d.log('system,error,critical', 'login failure for user eve from 10.9.9.9 via ssh');
      d.log('firewall,info', `long ${'x'.repeat(5000)}`);
      await waitFor('lines followed', async () => state.logs.pending.length >= 3);
      const r2 = await pollDevice(deps, state, claimOf(i));
      expect(r2.logs?.map((l) => l.message.slice(0, 40))).toEqual(expected(i, seen).map((l) => l.message.slice(0, 40)));
      expect(r2.logs?.[2]?.message).toHaveLength(2048);
      expect(r2.logs?.[1]).toMatchObject({ topics: ['system', 'error', 'critical'] });

      const r3 = await pollDevice(deps, state, claimOf(i));
      expect(r3.logs).toBeUndefined();

      // Stored once each, whatever was sent twice (a redelivered result).
      await store([r1, r2, r2, r3]);
      expect(await stored(i)).toBe(r1.logs!.length + 3);
      state.closeSession();
    });
  }

  it('a line followed just before the session ended is reported once, in the buffer order after a reboot', async () => {
    const i = 1;
    const d = fleet.device(i);
    const state = newState(i);
    await pollDevice(deps, state, claimOf(i));
    d.log('script,info', 'just before the session ended');
    await waitFor('line followed', async () => state.logs.pending.length === 1);
    const row = state.logs.pending[0]!;
    // A new session, no reboot: the catch-up prints the line again; it is reported once, first.
    state.closeSession();
    const next = await pollDevice(deps, state, claimOf(i));
    const messages = next.logs!.map((l) => l.message);
    expect(messages.filter((m) => m === 'just before the session ended')).toHaveLength(1);
    expect(messages[0]).toBe('just before the session ended');
    expect(next.logs!.map((l) => l.id)).toEqual(expected(i, d.logs.length - next.logs!.length).map((l) => l.id));

    // A reboot seen by this poll, the line still waiting and the log kept across the reboot: the whole buffer once,
    // in its order (not the waiting line first and again at its place).
    state.logs.detach();
    state.logs.pending = [row];
    const all = await collectLogs(state.client!, state.logs, { rebooted: true, commandTimeoutMs: 3000 });
    expect(all.lines.map((l) => l.id)).toEqual(expected(i).map((l) => l.id));
    state.closeSession();
  });

  it('after a reboot, and after ids went backwards, starts over; the database keeps one row per line', async () => {
    const i = 2;
    const d = fleet.device(i);
    const state = newState(i);
    const first = await pollDevice(deps, state, claimOf(i));
    await store([first]);
    d.reboot(300);
    let after: PollResult | undefined;
    await waitFor('rebooted and back', async () => {
      const r = await pollDevice(deps, state, claimOf(i));
      if (r.status === 'online') after = r;
      return after;
    });
    expect(after!.events.map((e) => e.type)).toContain('device.rebooted');
    // The whole buffer again: what was there, the reboot, and this session's login.
    expect(after!.logs).toEqual(expected(i).slice(0, after!.logs!.length));
    expect(after!.logs!.map((l) => l.message)).toEqual(expect.arrayContaining(['system rebooted by request']));
    await store([after!]);

    // Ids going backwards on a new session (a reboot the poll did not see): the whole buffer too.
    state.logs.lastId = 0xfffff;
    state.closeSession();
    const again = await pollDevice(deps, state, claimOf(i));
    expect(again.logs?.length).toBe(d.logs.length);
    await store([again]);
    expect(await stored(i)).toBe(d.logs.length);
    state.closeSession();
  });

  it('bounded: at most 1000 lines per poll and 2000 waiting; the oldest surplus is dropped and counted', async () => {
    const i = 0;
    const d = fleet.device(i);
    const state = newState(i);
    await pollDevice(deps, state, claimOf(i));
    const before = { ...counted };
    for (let n = 0; n < 2500; n++) d.log('firewall,info', `flood ${n}`);
    await waitFor('flood followed', async () => state.logs.pending.length + state.logs.dropped >= 2500);
    expect(state.logs.pending).toHaveLength(MAX_PENDING_LINES);
    const r1 = await pollDevice(deps, state, claimOf(i));
    expect(r1.logs).toHaveLength(MAX_LINES_PER_POLL);
    expect(r1.logs![0]!.message).toBe('flood 500');
    const r2 = await pollDevice(deps, state, claimOf(i));
    expect(r2.logs!.at(-1)!.message).toBe('flood 2499');
    expect(counted.dropped - before.dropped).toBe(500);
    expect(counted.collected - before.collected).toBe(2000);
    expect((await pollDevice(deps, state, claimOf(i))).logs).toBeUndefined();

    // Long lines: bounded by size too, so a result stays far below the bus's message limit.
    for (let n = 0; n < 300; n++) d.log('script,info', `${n} ${'z'.repeat(3000)}`);
    await waitFor('long lines followed', async () => state.logs.pending.length >= 300);
    const long = await pollDevice(deps, state, claimOf(i));
    expect(long.logs!.length).toBeLessThan(300);
    expect(Buffer.byteLength(JSON.stringify(long))).toBeLessThan(MAX_BYTES_PER_POLL + 64 * 1024);
    let total = long.logs!.length;
    for (let n = 0; n < 5 && total < 300; n++) total += (await pollDevice(deps, state, claimOf(i))).logs?.length ?? 0;
    expect(total).toBe(300);
    state.closeSession();
  });
});

describe('through the poller and ingest', () => {
  it("a router's new log line reaches device_logs (ingest's device_logs consumer, as the worker wires it)", async () => {
    await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }));
    const registry = new Registry();
    const bus = createMemoryBus({ log });
    const ingest = await startIngest({
      system: ctx.pools.system,
      bus,
      log,
      registry,
      consumers: [{ name: 'device_logs', consume: (db, results) => deviceLogsRepo.insertFromResults(db, results) }],
    });
    const poller = await startPoller({
      system: ctx.pools.system,
      access: ctx.services.deviceAccess,
      bus,
      log,
      registry,
      options: fastOptions(),
    });
    try {
      fleet.device(1).log('system,info', 'ip address added by admin via pipeline');
      const row = await waitFor(
        'line stored',
        async () =>
          (
            await ctx.pools.system.query('select * from device_logs where device_id = $1 and message like $2', [
              devs[1]!.id,
              '%via pipeline',
            ])
          ).rows[0],
        20_000,
      );
      expect(row).toMatchObject({ source: 'poll', severity: 'info', topics: ['system', 'info'], tenant_id: tenant });
    } finally {
      await poller.stop();
      await ingest.stop();
    }
  });
});

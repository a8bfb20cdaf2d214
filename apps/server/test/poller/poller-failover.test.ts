import { type Fleet, startFleet } from '@tod/simulator';
import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest } from '../../src/features/ingest/ingest.js';
import { startPoller } from '../../src/features/poller/poller.js';
import type { PollResult } from '../../src/features/poller/types.js';
import { createMemoryBus } from '../../src/platform/bus/memory.js';
import type { Bus } from '../../src/platform/bus/types.js';
import { roleUrl } from '../../src/platform/db/pools.js';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { addDevices, createTenant, fastOptions, log, waitFor } from './poller-fixture.js';

// Two pollers, each with its own database pool (as two processes would have), sharing the fleet. Ownership is
// split by rendezvous hashing; one poller is killed (heartbeat stops, its row stays, as after a crash) and the
// other takes its devices over within two intervals. No device is ever polled twice in one cycle.

const INTERVAL = 2000;
let ctx: TestContext;
let fleet: Fleet;
const pools: pg.Pool[] = [];
const seen: Array<{ deviceId: string; pollerId: string; at: number }> = [];

function recording(bus: Bus): Bus {
  return {
    ...bus,
    kind: bus.kind,
    async publishResults(batch) {
      for (const r of batch as PollResult[])
        seen.push({ deviceId: r.deviceId, pollerId: r.pollerId, at: Date.parse(r.at) });
      return bus.publishResults(batch);
    },
  };
}

beforeAll(async () => {
  ctx = await createTestContext();
  fleet = await startFleet({ devices: 12, tls: false, base: { users: [{ name: 'admin', password: 'pw' }] } });
}, 60_000);
afterAll(async () => {
  for (const p of pools) await p.end();
  await fleet?.stop();
  await ctx?.close();
});

describe('several pollers', () => {
  it('split devices, never poll one twice in a cycle, and take over a dead poller within two intervals', async () => {
    const tenant = await createTenant(ctx);
    const devs = await addDevices(ctx, tenant, fleet, { tlsMode: () => 'plain' });
    await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }));
    const bus = recording(createMemoryBus({ log }));
    const ingest = await startIngest({ system: ctx.pools.system, bus, log, registry: new Registry() });
    const start = async () => {
      const pool = new pg.Pool({
        connectionString: roleUrl(ctx.ownerUrl, 'system', ctx.config.dbSystemPassword),
        max: 5,
      });
      pools.push(pool);
      return startPoller({
        system: pool,
        access: ctx.services.deviceAccess,
        bus,
        log,
        registry: new Registry(),
        options: fastOptions({ intervalMs: INTERVAL }),
      });
    };
    const a = await start();
    const b = await start();

    // Steady state: both pollers own a share, every device is polled.
    await waitFor('both pollers polling', async () => {
      const owners = new Set(seen.filter((s) => s.at > Date.now() - INTERVAL).map((s) => s.pollerId));
      return owners.size === 2 && new Set(seen.map((s) => s.deviceId)).size === devs.length;
    });
    await new Promise((r) => setTimeout(r, 2 * INTERVAL));
    const recent = seen.filter((s) => s.at > Date.now() - INTERVAL * 1.5);
    const shareA = new Set(recent.filter((s) => s.pollerId === a.id).map((s) => s.deviceId));
    const shareB = new Set(recent.filter((s) => s.pollerId === b.id).map((s) => s.deviceId));
    expect(shareA.size).toBeGreaterThan(0);
    expect(shareB.size).toBeGreaterThan(0);
    expect([...shareA].filter((d) => shareB.has(d))).toEqual([]);

    // A dies without unregistering.
    const killedAt = Date.now();
    await a.kill();
    const movedDevices = [...shareA];
    await waitFor(
      'takeover',
      async () =>
        movedDevices.every((d) => seen.some((s) => s.deviceId === d && s.pollerId === b.id && s.at > killedAt)),
      4 * INTERVAL,
    );
    for (const d of movedDevices) {
      const first = seen.find((s) => s.deviceId === d && s.pollerId === b.id && s.at > killedAt)!;
      expect(first.at - killedAt).toBeLessThanOrEqual(2 * INTERVAL);
    }
    await new Promise((r) => setTimeout(r, INTERVAL));
    await b.stop();
    await ingest.stop();

    // Never twice in one cycle: a double poll would be two polls of one slot, milliseconds apart. Claims are a full
    // interval apart; observed start times jitter on a loaded machine (a late start then an on-time one), so the bound
    // is a quarter interval: far above a double poll, far below a cycle.
    for (const d of devs) {
      const times = seen
        .filter((s) => s.deviceId === d.id)
        .map((s) => s.at)
        .sort((x, y) => x - y);
      expect(times.length).toBeGreaterThan(3);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(INTERVAL / 4);
    }
    // And every device's latest state is online.
    const st = await ctx.pools.system.query('select status, count(*)::int as n from devices group by 1');
    expect(st.rows).toEqual([{ status: 'online', n: devs.length }]);
  }, 60_000);
});

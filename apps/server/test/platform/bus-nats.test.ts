import { type Fleet, startFleet } from '@tod/simulator';
import { connect, type NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest } from '../../src/features/ingest/ingest.js';
import { createBus } from '../../src/platform/bus/create.js';
import { RESULTS_STREAM } from '../../src/platform/bus/nats.js';
import type { Bus, LiveMessage } from '../../src/platform/bus/types.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { type External, hasBinary, startNats } from '../helpers/external.js';
import { addDevices, createTenant, log, startPipeline, waitFor } from '../poller/poller-fixture.js';

// The multi-process path: poller → JetStream → worker ingest, against a real nats-server (Debian 2.9).
// The worker is stopped while the poller keeps publishing; when it comes back every result is written.

if (!hasBinary('nats-server')) throw new Error('nats-server is not installed (apt-get install nats-server)');

let ctx: TestContext;
let nats: External;
let fleet: Fleet;
const conns: NatsConnection[] = [];
const open = async () => {
  const nc = await connect({ servers: nats.url });
  conns.push(nc);
  return nc;
};

beforeAll(async () => {
  ctx = await createTestContext();
  nats = await startNats();
  fleet = await startFleet({ devices: 3, base: { users: [{ name: 'admin', password: 'pw' }], uptimeMs: 60_000 } });
}, 60_000);
afterAll(async () => {
  for (const c of conns) await c.close().catch(() => {});
  await fleet?.stop();
  await nats?.stop();
  await ctx?.close();
});

describe('NATS JetStream bus', () => {
  it('keeps poll results while no worker runs and loses none across a worker restart', async () => {
    const tenant = await createTenant(ctx);
    const devs = await addDevices(ctx, tenant, fleet);
    const pollerRegistry = new Registry();
    const pollerBus = await createBus({ nc: await open(), log, registry: pollerRegistry });
    const pipeline = await startPipeline(ctx, { bus: pollerBus, ingest: false });

    // An api process listening for live updates of the tenant.
    const apiBus: Bus = await createBus({ nc: await open(), log });
    const live: LiveMessage[] = [];
    const unsubscribe = apiBus.subscribeTenant(tenant, (m) => live.push(m));

    const rows = async () =>
      Number((await ctx.pools.system.query('select count(*) from metrics_health')).rows[0].count);
    // No worker: results wait in the stream.
    await new Promise((r) => setTimeout(r, 4500));
    expect(await rows()).toBe(0);
    const jsm = await (await open()).jetstreamManager();
    expect((await jsm.streams.info(RESULTS_STREAM)).state.messages).toBeGreaterThan(0);

    // A worker starts: the backlog is written.
    const startWorker = async () => {
      const bus = await createBus({ nc: await open(), log });
      const ingest = await startIngest({ system: ctx.pools.system, bus, log, registry: new Registry() });
      return {
        stop: async () => {
          await ingest.stop();
          await bus.close();
        },
      };
    };
    let worker = await startWorker();
    await waitFor('backlog ingested', async () => (await rows()) >= 6);
    await waitFor('live update', async () => live.some((m) => m.type === 'device.state' && m.status === 'online'));
    expect(live.every((m) => m.tenantId === tenant)).toBe(true);

    // Worker stopped again while polling continues; then restarted.
    await worker.stop();
    await new Promise((r) => setTimeout(r, 3000));
    worker = await startWorker();
    await new Promise((r) => setTimeout(r, 2000));
    await pipeline.stop(); // flushes the last results to the stream
    await waitFor('stream drained', async () => (await jsm.streams.info(RESULTS_STREAM)).state.messages === 0);
    await new Promise((r) => setTimeout(r, 300));

    // Every successful poll is one health row: nothing lost, nothing doubled.
    const polls = (await pipeline.registry.getSingleMetric('mikrotik_poll_total')!.get()).values;
    const ok = polls.filter((v) => v.labels.status !== 'offline').reduce((s, v) => s + v.value, 0);
    expect(ok).toBeGreaterThan(10);
    expect(await rows()).toBe(ok);
    const perDevice = await ctx.pools.system.query(
      'select device_id, count(*)::int as n from metrics_health group by 1',
    );
    expect(perDevice.rows).toHaveLength(devs.length);
    const published = (await pollerRegistry.getSingleMetric('mikrotik_nats_publish_total')!.get()).values;
    expect(published.find((v) => v.labels.kind === 'results')?.value).toBeGreaterThan(0);

    unsubscribe();
    await worker.stop();
    await apiBus.close();
  }, 60_000);
});

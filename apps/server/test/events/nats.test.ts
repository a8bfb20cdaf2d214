import { connect, type NatsConnection } from 'nats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DispatcherOptions } from '../../src/platform/events/dispatcher.js';
import { EVENTS_STREAM, ensureEventsStream, startRelay } from '../../src/platform/events/nats.js';
import type { EventHandler } from '../../src/platform/events/types.js';
import { type External, hasBinary, startNats } from '../helpers/external.js';
import {
  counted,
  deliveries,
  type EventsDb,
  log,
  openEventsDb,
  recorder,
  recordMany,
  sleep,
  startDispatcher,
  waitUntil,
} from './helpers.js';

// The NATS path against a real nats-server (JetStream): the same guarantees as over PostgreSQL alone, with events
// carried by the TOD_EVENTS stream, and nothing lost or doubled across a worker restart.

if (!hasBinary('nats-server')) throw new Error('nats-server is not installed (apt-get install nats-server)');

let db: EventsDb;
let nats: External;
let tenant: string;
const conns: NatsConnection[] = [];
const stops: Array<() => Promise<void>> = [];
const open = async () => {
  const nc = await connect({ servers: nats.url });
  conns.push(nc);
  return nc;
};
beforeAll(async () => {
  db = await openEventsDb();
  nats = await startNats();
  await ensureEventsStream(await open()); // conns[0]: this file's own look at the stream
  tenant = await db.createTenant();
});
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  await db.pools.system.query('delete from domain_events');
});
afterAll(async () => {
  for (const c of conns) await c.close().catch(() => {});
  await nats?.stop();
  await db?.close();
});

/** A worker "process": its own pools and NATS connection. */
const worker = async (handlers: EventHandler[], over: Partial<DispatcherOptions> = {}) =>
  startDispatcher(stops, { systemPool: db.openPools().system, nc: await open(), handlers, ...over });

const streamInfo = async () => (await conns[0]!.jetstreamManager()).streams.info(EVENTS_STREAM);
const allDone = (n: number) => async () => {
  const rows = await deliveries(db.pools);
  return rows.length === n && rows.every((r) => r.status === 'done');
};
const onceEach = (ids: string[], seen: Array<{ event: { id: string } }>) => {
  expect(seen.map((s) => s.event.id).sort()).toEqual([...ids].sort());
};

describe('event dispatcher over NATS JetStream', () => {
  it('carries events through the stream and runs each handler once per event with two workers', async () => {
    const a = recorder('test.a', ['test.happened']);
    const b = recorder('test.b', ['*']);
    const one = await worker([a.make('one'), b.make('one')], { batchSize: 20 });
    const two = await worker([a.make('two'), b.make('two')], { batchSize: 20 });
    const before = (await streamInfo()).state.last_seq;
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(...(await recordMany(db.pools, tenant, 40)));

    await waitUntil('every delivery done', allDone(ids.length * 2));
    onceEach(ids, a.seen);
    onceEach(ids, b.seen);
    expect(b.seen.some((s) => s.by === 'one') && b.seen.some((s) => s.by === 'two')).toBe(true);
    // They went through JetStream (relayed, then consumed from the work queue), not the PostgreSQL fallback.
    const info = await streamInfo();
    expect(info.state.last_seq - before).toBe(ids.length);
    await waitUntil('stream drained', async () => (await streamInfo()).state.messages === 0);
    const r = await db.pools.system.query('select count(*)::int as n from domain_events where relayed_at is null');
    expect(r.rows[0].n).toBe(0);

    const regs = [one.registry, two.registry];
    expect(await counted(regs, 'mikrotik_events_recorded_total')).toBe(ids.length);
    expect(await counted(regs, 'mikrotik_events_delivered_total')).toBe(ids.length * 2);
    expect([...one.live, ...two.live].map((m) => m.id).sort()).toEqual([...ids].sort());
  });

  it('delivers everything once when the worker is stopped while events are recorded, then restarted', async () => {
    const h = recorder('test.restart', ['*']);
    let w = await worker([h.make('first')]);
    const ids: string[] = [];
    let recording = true;
    const recorderLoop = (async () => {
      while (recording) {
        ids.push(...(await recordMany(db.pools, tenant, 10)));
        await sleep(40);
      }
    })();
    await sleep(800);
    await w.stop();
    await sleep(1000); // nobody dispatches: events wait in PostgreSQL (or in the stream)
    w = await worker([h.make('second')]);
    await sleep(800);
    recording = false;
    await recorderLoop;

    await waitUntil('every delivery done', allDone(ids.length));
    onceEach(ids, h.seen);
    expect(h.seen.some((s) => s.by === 'first') && h.seen.some((s) => s.by === 'second')).toBe(true);
    expect((await deliveries(db.pools)).every((r) => r.attempts === 1)).toBe(true);
  });

  it('keeps relayed events in the stream while no worker consumes them', async () => {
    const nc = await open();
    // A relay alone (a worker that died right after relaying): the events wait in JetStream.
    const relay = startRelay({ nc, pool: db.pools.system, log, batchSize: 50, pollMs: 100, onRelayed: () => {} });
    const ids = await recordMany(db.pools, tenant, 120);
    await waitUntil('relayed', async () => (await streamInfo()).state.messages === 120);
    await relay.stop();
    const h = recorder('test.backlog', ['*']);
    await worker([h.make('w')], { natsFallbackMs: 600_000 }); // only the stream can bring them
    await waitUntil('every delivery done', allDone(ids.length));
    onceEach(ids, h.seen);
    await waitUntil('stream drained', async () => (await streamInfo()).state.messages === 0);
  });

  it('retries and dead-letters the same way', async () => {
    let calls = 0;
    const w = await worker([
      {
        name: 'test.bad',
        on: ['test.happened'],
        maxAttempts: 3,
        handle: async () => {
          calls++;
          throw new Error('still broken');
        },
      },
    ]);
    const [id] = await recordMany(db.pools, tenant, 1);
    await waitUntil('dead', async () => (await deliveries(db.pools))[0]?.status === 'dead');
    expect(await deliveries(db.pools)).toEqual([
      { event_id: id, handler: 'test.bad', status: 'dead', attempts: 3, last_error: 'still broken' },
    ]);
    expect(calls).toBe(3);
    expect(await counted([w.registry], 'mikrotik_events_retried_total')).toBe(2);
    expect(await counted([w.registry], 'mikrotik_events_dead_lettered_total')).toBe(1);
  });

  it('ignores a message of an event already handled (a duplicate or late redelivery)', async () => {
    const h = recorder('test.dup', ['*']);
    await worker([h.make('w')]);
    const [id] = await recordMany(db.pools, tenant, 1);
    await waitUntil('done', allDone(1));
    const js = (await open()).jetstream();
    await js.publish('tod.events.test.happened', new TextEncoder().encode(JSON.stringify({ id })), {
      msgID: `again-${id}`,
    });
    await waitUntil('stream drained', async () => (await streamInfo()).state.messages === 0);
    await sleep(300);
    expect(h.seen).toHaveLength(1);
  });

  it('falls back to PostgreSQL when NATS is down', async () => {
    const h = recorder('test.fallback', ['*']);
    await worker([h.make('w')], { natsFallbackMs: 500 });
    await nats.stop();
    const ids = await recordMany(db.pools, tenant, 30);
    await waitUntil('every delivery done', allDone(ids.length), 30_000);
    onceEach(ids, h.seen);
  }, 60_000);
});

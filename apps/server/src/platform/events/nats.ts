import { AckPolicy, type JsMsg, type NatsConnection, nanos, RetentionPolicy, StorageType } from 'nats';
import type pg from 'pg';
import type { Logger } from 'pino';
import { ensureWorkQueue } from '../bus/nats.js';
import { lockUnrelayed, markRelayed, type PickedEvent } from './repo.js';
import { Waker } from './waker.js';

// With NATS, committed outbox rows travel through a JetStream work queue: a relay (in every worker) publishes them,
// de-duplicated by event id, and marks them relayed in the same transaction that locked them; a durable pull
// consumer shared by the workers receives each one and fans it out into deliveries. Exactly-once still comes from
// PostgreSQL (dispatched_at, one delivery row per handler, claims under a lease), so a duplicate or redelivered
// message changes nothing.

export const EVENTS_STREAM = 'TOD_EVENTS';
export const EVENTS_SUBJECT_PREFIX = 'tod.events.';
export const EVENTS_CONSUMER = 'tod-events';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function ensureEventsStream(nc: NatsConnection, o: { maxAgeMs?: number; ackWaitMs?: number } = {}) {
  await ensureWorkQueue(
    await nc.jetstreamManager(),
    {
      name: EVENTS_STREAM,
      subjects: [`${EVENTS_SUBJECT_PREFIX}>`],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      max_age: nanos(o.maxAgeMs ?? 7 * 86_400_000),
      duplicate_window: nanos(120_000),
    },
    {
      durable_name: EVENTS_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(o.ackWaitMs ?? 30_000),
      max_ack_pending: 2048,
    },
  );
}

/** Publishes committed, unrelayed events; `onRelayed` runs after the commit (live fan-out, metrics). */
export function startRelay(o: {
  nc: NatsConnection;
  pool: pg.Pool;
  log: Logger;
  batchSize: number;
  pollMs: number;
  onRelayed: (picked: PickedEvent[]) => void;
}) {
  const js = o.nc.jetstream();
  const enc = new TextEncoder();
  const waker = new Waker();
  let running = true;
  // Consumers only need the id: the claim reads the row from PostgreSQL, so no payload can outgrow NATS' limit.
  const encode = (p: PickedEvent) => enc.encode(JSON.stringify({ id: p.event.id }));

  async function once(): Promise<number> {
    const c = await o.pool.connect();
    try {
      await c.query('begin');
      const picked = await lockUnrelayed(c, o.batchSize);
      if (picked.length > 0) {
        await Promise.all(
          picked.map((p) => js.publish(EVENTS_SUBJECT_PREFIX + p.event.type, encode(p), { msgID: p.event.id })),
        );
        await markRelayed(
          c,
          picked.map((p) => p.event.id),
        );
      }
      await c.query('commit');
      if (picked.length > 0) o.onRelayed(picked);
      return picked.length;
    } catch (err) {
      await c.query('rollback').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  const loop = (async () => {
    while (running) {
      let n = 0;
      try {
        n = await once();
      } catch (err) {
        if (!running) break;
        o.log.warn({ err: (err as Error).message }, 'relaying events to NATS failed; retrying');
        await waker.sleep(1000);
        continue;
      }
      if (n === 0) await waker.sleep(o.pollMs);
    }
  })();

  return {
    wake: () => waker.wake(),
    async stop() {
      running = false;
      waker.wake();
      await loop;
    },
  };
}

/** Receives relayed events (each message by one worker) and hands their ids to `onEvents` in batches. */
export async function startConsumer(o: {
  nc: NatsConnection;
  log: Logger;
  onEvents: (ids: string[]) => Promise<void>;
}) {
  const consumer = await o.nc.jetstream().consumers.get(EVENTS_STREAM, EVENTS_CONSUMER);
  const dec = new TextDecoder();
  const buffered: JsMsg[] = [];
  let chain = Promise.resolve();
  let scheduled = false;

  const flush = async () => {
    const batch = buffered.splice(0);
    const ok: JsMsg[] = [];
    const ids: string[] = [];
    for (const m of batch) {
      let id: unknown;
      try {
        id = (JSON.parse(dec.decode(m.data)) as { id?: unknown }).id;
      } catch {}
      if (typeof id === 'string' && UUID.test(id)) {
        ok.push(m);
        ids.push(id);
      } else {
        o.log.error('event message without a valid id; dropped');
        m.term();
      }
    }
    if (ids.length === 0) return;
    try {
      await o.onEvents(ids);
      for (const m of ok) m.ack();
    } catch (err) {
      o.log.warn({ err: (err as Error).message }, 'fanning out relayed events failed; they will be redelivered');
      for (const m of ok) m.nak(1000);
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      chain = chain.then(flush);
    });
  };
  const messages = await consumer.consume({
    max_messages: 256,
    callback: (m) => {
      buffered.push(m);
      schedule();
    },
  });

  return {
    async stop() {
      await messages.close().catch(() => {});
      await chain;
      await flush();
    },
  };
}

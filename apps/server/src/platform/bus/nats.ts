import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  nanos,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
  type Subscription,
} from 'nats';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { TenantFanout } from './tenant-fanout.js';
import type { Bus, LiveMessage } from './types.js';

// JetStream for poll results (durable, work queue: each batch handled by one worker, kept until acknowledged),
// core NATS for live updates (`tod.live.<tenant>`, every api process that has SSE clients of that tenant).
// Only NATS 2.9 features: file-storage stream with work-queue retention, durable pull consumer, fetch with expiry.

export const RESULTS_STREAM = 'TOD_POLL_RESULTS';
export const RESULTS_SUBJECT = 'tod.poll.results';
export const RESULTS_CONSUMER = 'tod-ingest';
const LIVE_PREFIX = 'tod.live.';

/**
 * Creates a JetStream stream and its durable consumer unless they exist. Several processes start at once: one that
 * loses the race to create either finds it made by another and goes on.
 */
export async function ensureWorkQueue(
  jsm: JetStreamManager,
  stream: Partial<StreamConfig> & { name: string },
  consumer: Partial<ConsumerConfig> & { durable_name: string },
): Promise<void> {
  const ignoreRace = (exists: () => Promise<unknown>) => async (err: unknown) => {
    if (!(await exists().catch(() => undefined))) throw err;
  };
  const streamInfo = () => jsm.streams.info(stream.name);
  await streamInfo().catch(() => jsm.streams.add(stream).catch(ignoreRace(streamInfo)));
  const consumerInfo = () => jsm.consumers.info(stream.name, consumer.durable_name);
  await consumerInfo().catch(() => jsm.consumers.add(stream.name, consumer).catch(ignoreRace(consumerInfo)));
}

export async function createNatsBus(opts: {
  nc: NatsConnection;
  log: Logger;
  publishTotal?: Counter<string>;
  /** How long unacknowledged batches wait before redelivery. Default 60 s. */
  ackWaitMs?: number;
  /** How long results may wait for a worker before the stream drops them. Default 3 days. */
  maxAgeMs?: number;
}): Promise<Bus> {
  const { nc, log } = opts;
  const jsm = await nc.jetstreamManager();
  const streamConfig = {
    name: RESULTS_STREAM,
    subjects: [RESULTS_SUBJECT],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    max_age: nanos(opts.maxAgeMs ?? 3 * 86_400_000),
  };
  await ensureWorkQueue(jsm, streamConfig, {
    durable_name: RESULTS_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(opts.ackWaitMs ?? 60_000),
    max_ack_pending: 64,
  });
  const js: JetStreamClient = nc.jetstream();
  const fanout = new TenantFanout();
  const subs = new Map<string, Subscription>();
  const consumers: Array<() => Promise<void>> = [];
  const enc = new TextEncoder();
  const dec = new TextDecoder();

  return {
    kind: 'nats',
    async publishResults(batch) {
      // A message must fit the server's max_payload (1 MiB by default): split big batches in halves.
      const limit = Math.floor((nc.info?.max_payload ?? 1_048_576) * 0.9);
      const send = async (part: unknown[]): Promise<void> => {
        const data = enc.encode(JSON.stringify(part));
        if (data.length > limit) {
          if (part.length === 1) {
            opts.publishTotal?.inc({ kind: 'results_failed', transport: 'nats' });
            log.error({ bytes: data.length, limit }, 'one poll result exceeds the NATS max_payload; dropped');
            return;
          }
          const mid = Math.ceil(part.length / 2);
          await send(part.slice(0, mid));
          await send(part.slice(mid));
          return;
        }
        try {
          await js.publish(RESULTS_SUBJECT, data);
          opts.publishTotal?.inc({ kind: 'results', transport: 'nats' });
        } catch (err) {
          opts.publishTotal?.inc({ kind: 'results_failed', transport: 'nats' });
          throw err;
        }
      };
      await send(batch);
    },
    async consumeResults(handler) {
      const consumer = await js.consumers.get(RESULTS_STREAM, RESULTS_CONSUMER);
      let stopped = false;
      let msgs: ConsumerMessages | undefined;
      const loop = (async () => {
        while (!stopped && !nc.isClosed()) {
          try {
            // One long-lived pull that re-pulls, watches heartbeats and survives reconnects. A loop of short fetches
            // lost messages delivered for a pull it had already given up on (a stalled event loop, a reconnect):
            // they sat unacknowledged for the whole ack wait before JetStream sent them again.
            msgs = await consumer.consume({ max_messages: 16 });
            for await (const m of msgs) {
              // Stopping ends the subscription; what was already delivered goes back at once.
              if (stopped) {
                m.nak();
                continue;
              }
              let batch: unknown[];
              try {
                batch = JSON.parse(dec.decode(m.data)) as unknown[];
              } catch (err) {
                // Undecodable: acknowledging drops it; redelivering it forever would block nothing but waste work.
                log.error({ err }, 'poll result batch is not JSON; dropped');
                m.term();
                continue;
              }
              try {
                await handler(batch);
                m.ack();
              } catch (err) {
                log.warn({ err }, 'ingest of a result batch failed; it will be redelivered');
                m.nak(1000);
              }
            }
          } catch (err) {
            if (stopped || nc.isClosed()) break;
            log.warn({ err: (err as Error).message }, 'consuming poll results failed; retrying');
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      })();
      const stop = async () => {
        stopped = true;
        msgs?.stop();
        await loop;
      };
      consumers.push(stop);
      return stop;
    },
    publishLive(msg: LiveMessage) {
      try {
        nc.publish(LIVE_PREFIX + msg.tenantId, enc.encode(JSON.stringify(msg)));
        opts.publishTotal?.inc({ kind: 'live', transport: 'nats' });
      } catch (err) {
        opts.publishTotal?.inc({ kind: 'live_failed', transport: 'nats' });
        log.warn({ err: (err as Error).message }, 'live update not published');
      }
    },
    subscribeTenant(tenantId, handler) {
      const entry = fanout.add(tenantId, handler);
      if (entry.first) {
        const sub = nc.subscribe(LIVE_PREFIX + tenantId, {
          callback: (err, m) => {
            if (err) return;
            try {
              fanout.deliver(JSON.parse(dec.decode(m.data)) as LiveMessage);
            } catch {
              // not JSON: ignore
            }
          },
        });
        subs.set(tenantId, sub);
      }
      return () => {
        if (entry.remove()) {
          subs.get(tenantId)?.unsubscribe();
          subs.delete(tenantId);
        }
      };
    },
    async close() {
      await Promise.all(consumers.map((s) => s()));
      for (const s of subs.values()) s.unsubscribe();
      subs.clear();
    },
  };
}

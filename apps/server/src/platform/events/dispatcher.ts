import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Bus, LiveMessage } from '../bus/types.js';
import { listenForEvents } from './listen.js';
import { liveMessageOf } from './live.js';
import { createEventMetrics } from './metrics.js';
import { ensureEventsStream, startConsumer, startRelay } from './nats.js';
import {
  type ClaimedDelivery,
  claimDeliveries,
  completeDeliveries,
  fanOut,
  fanOutIds,
  type Outcome,
  type PickedEvent,
  renewLeases,
  subjectGone,
} from './repo.js';
import type { DomainEvent, EventHandler } from './types.js';
import { Waker } from './waker.js';

export type DispatcherOptions = {
  systemPool: pg.Pool;
  handlers: readonly EventHandler[];
  log: Logger;
  registry: Registry;
  /** With NATS, events travel through the JetStream stream TOD_EVENTS; the claim stays in PostgreSQL. */
  nc?: NatsConnection;
  /** Committed events of a tenant are published here once (for SSE), by the process that first picks them up. */
  bus?: Pick<Bus, 'publishLive'>;
  /** The live message of an event, or null to keep it off the live stream. Default: `liveMessageOf`. */
  toLive?: (e: DomainEvent) => LiveMessage | null;
  /**
   * How often to look without a notification. The trigger notifies only for the first event after 200 ms without
   * any, so this bounds the wait of events recorded in a busy spell. Default 200 ms.
   */
  pollMs?: number;
  /** Events fanned out, and deliveries claimed, per statement. Default 256. */
  batchSize?: number;
  /** Handler runs in progress in this process (mostly waiting on I/O); also the largest claim. Default 256. */
  concurrency?: number;
  /** A claimed delivery whose process stops renewing it is run again after this long. Default 30 s. */
  leaseMs?: number;
  /** Defaults for handlers that do not say. */
  maxAttempts?: number;
  handlerTimeoutMs?: number;
  /** Backoff before attempt n+1: min(max, base · 2^(n-1)), less up to 20 % jitter. Defaults 1 s and 10 min. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** How long `stop()` waits for handlers in progress; the rest are left to their lease. Default 10 s. */
  stopGraceMs?: number;
  /** NATS mode: events neither relayed nor fanned out this long after recording are fanned out from PostgreSQL. */
  natsFallbackMs?: number;
};

export type EventDispatcher = { stop: () => Promise<void> };

const HANDLER_NAME = /^[a-z][a-z0-9_.-]{0,99}$/;

function checkHandlers(handlers: readonly EventHandler[]) {
  const seen = new Set<string>();
  for (const h of handlers) {
    if (!HANDLER_NAME.test(h.name)) throw new Error(`event handler name ${JSON.stringify(h.name)} is not valid`);
    if (seen.has(h.name)) throw new Error(`event handler ${h.name} is declared twice`);
    if (h.on.length === 0) throw new Error(`event handler ${h.name} listens to no event type`);
    seen.add(h.name);
  }
}

type Pending = Outcome & { recordedAt: Date };

/**
 * Runs every (event, handler) pair exactly once across all worker processes: fans committed events out into
 * deliveries, claims due deliveries under a lease (renewed while the handler runs), and records each outcome:
 * done, retry later with backoff, or dead after the handler's last attempt.
 */
export async function startEventDispatcher(o: DispatcherOptions): Promise<EventDispatcher> {
  checkHandlers(o.handlers);
  const pool = o.systemPool;
  const log = o.log.child({ component: 'events' });
  const metrics = createEventMetrics(o.registry);
  const byName = new Map(o.handlers.map((h) => [h.name, h]));
  const specs = o.handlers.map((h) => ({ name: h.name, types: [...h.on] }));
  const names = [...byName.keys()];
  const pollMs = o.pollMs ?? 200;
  const batchSize = o.batchSize ?? 256;
  const concurrency = o.concurrency ?? 256;
  const leaseMs = o.leaseMs ?? 30_000;
  const toLive = o.toLive ?? liveMessageOf;

  let running = true;
  let abandoned = false;
  const waker = new Waker();
  const inflight = new Map<string, { claim: string; ctl: AbortController; done: Promise<void> }>();
  let outcomes: Pending[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let flushQueued = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryAt = Number.POSITIVE_INFINITY;

  // First pickup of a committed event: count it and send it live, once.
  const announce = (picked: readonly PickedEvent[]) => {
    for (const p of picked) {
      metrics.recorded.inc({ type: p.event.type });
      if (!o.bus) continue;
      try {
        const msg = toLive(p.event);
        if (msg) o.bus.publishLive(msg);
      } catch (err) {
        log.warn({ err: (err as Error).message, type: p.event.type }, 'live message of an event failed');
      }
    }
  };

  const wakeAt = (at: number) => {
    if (at >= retryAt || !running) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryAt = at;
    retryTimer = setTimeout(() => {
      retryAt = Number.POSITIVE_INFINITY;
      retryTimer = undefined;
      waker.wake();
    }, at - Date.now());
    retryTimer.unref();
  };

  async function flush() {
    const batch = outcomes;
    outcomes = [];
    if (batch.length === 0) return;
    try {
      const written = await completeDeliveries(pool, batch);
      const now = Date.now();
      for (const x of batch) {
        if (!written.has(`${x.eventId}|${x.handler}`)) continue; // its lease was taken over meanwhile
        if (x.status === 'done') {
          metrics.delivered.inc({ handler: x.handler });
          metrics.lag.observe((now - x.recordedAt.getTime()) / 1000);
        } else if (x.status === 'dead') metrics.deadLettered.inc({ handler: x.handler });
        else {
          metrics.retried.inc({ handler: x.handler });
          wakeAt(now + x.delayMs + 5);
        }
      }
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'could not record event outcomes; retrying');
      outcomes = [...batch, ...outcomes];
      if (running) setTimeout(scheduleFlush, 1000).unref();
      return;
    }
    waker.wake(); // capacity freed
  }
  function scheduleFlush() {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(() => {
      flushQueued = false;
      flushing = flushing.then(flush);
    });
  }
  const settle = (x: Pending) => {
    if (abandoned) return; // stopped meanwhile: the lease decides
    outcomes.push(x);
    scheduleFlush();
  };

  const backoff = (attempt: number) => {
    const base = o.backoffBaseMs ?? 1000;
    const full = Math.min(o.backoffMaxMs ?? 600_000, base * 2 ** (attempt - 1));
    return Math.round(full * (0.8 + 0.2 * Math.random()));
  };

  function start(d: ClaimedDelivery) {
    const h = byName.get(d.handler)!;
    const max = h.maxAttempts ?? o.maxAttempts ?? 8;
    const key = { eventId: d.event.id, handler: d.handler, claim: d.claim, recordedAt: d.recordedAt };
    if (d.attempt > max) {
      // Its last attempt never finished (the process died): give up now.
      settle({ ...key, status: 'dead', delayMs: 0, error: 'lease expired before the handler finished' });
      return;
    }
    const ctl = new AbortController();
    const timeoutMs = h.timeoutMs ?? o.handlerTimeoutMs ?? 60_000;
    const id = `${d.event.id}|${d.handler}`;
    const done = (async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          h.handle(d.event, { attempt: d.attempt, signal: ctl.signal }),
          new Promise((_, reject) => {
            timer = setTimeout(() => {
              reject(new Error(`handler timed out after ${timeoutMs} ms`));
              ctl.abort();
            }, timeoutMs);
          }),
        ]);
        settle({ ...key, status: 'done' });
      } catch (err) {
        const error = String((err as Error)?.message ?? err).slice(0, 500);
        if (await subjectGone(pool, d.event).catch(() => false)) {
          log.info(
            { handler: d.handler, event: d.event.id, type: d.event.type },
            'event handler skipped: its organisation or device was deleted',
          );
          settle({ ...key, status: 'done' });
          return;
        }
        const last = d.attempt >= max;
        log[last ? 'error' : 'warn'](
          { handler: d.handler, event: d.event.id, type: d.event.type, attempt: d.attempt, err: error },
          last ? 'event handler failed for the last time; dead-lettered' : 'event handler failed; will retry',
        );
        settle({ ...key, status: last ? 'dead' : 'pending', delayMs: last ? 0 : backoff(d.attempt), error });
      } finally {
        clearTimeout(timer);
        inflight.delete(id);
      }
    })();
    inflight.set(id, { claim: d.claim, ctl, done });
  }

  // One round: fan out new events (in NATS mode only those the relay path left behind), claim what is due.
  async function step(): Promise<boolean> {
    let more = false;
    const picked = await fanOut(pool, specs, batchSize, o.nc ? (o.natsFallbackMs ?? 30_000) : null);
    announce(picked.filter((p) => !p.wasRelayed));
    // Look again at once: events recorded meanwhile did not notify (the trigger skips it while others wait).
    if (picked.length > 0) more = true;
    const room = Math.min(batchSize, concurrency - inflight.size);
    if (room > 0 && names.length > 0 && running) {
      const claimed = await claimDeliveries(pool, names, room, leaseMs, randomUUID());
      for (const d of claimed) start(d);
      if (claimed.length === room) more = true;
    }
    return more && inflight.size < concurrency;
  }

  const renew = setInterval(
    () => {
      const claims = [...new Set([...inflight.values()].map((r) => r.claim))];
      renewLeases(pool, claims, leaseMs).catch((err) =>
        log.warn({ err: (err as Error).message }, 'could not renew event leases'),
      );
    },
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  renew.unref();

  // Transport: NATS relay + consumer, or PostgreSQL notifications straight to the loop.
  let relay: Awaited<ReturnType<typeof startRelay>> | undefined;
  let consumer: Awaited<ReturnType<typeof startConsumer>> | undefined;
  if (o.nc) {
    await ensureEventsStream(o.nc);
    relay = startRelay({ nc: o.nc, pool, log, batchSize, pollMs, onRelayed: announce });
    consumer = await startConsumer({
      nc: o.nc,
      log,
      onEvents: async (ids) => {
        await fanOutIds(pool, specs, ids);
        waker.wake();
      },
    });
  }
  const listener = listenForEvents(pool, log, () => (relay ? relay.wake() : waker.wake()));

  const loop = (async () => {
    while (running) {
      let more = false;
      try {
        more = await step();
      } catch (err) {
        if (!running) break;
        log.warn({ err: (err as Error).message }, 'event dispatch failed; retrying');
        await waker.sleep(1000);
        continue;
      }
      if (!more && running) await waker.sleep(pollMs);
    }
  })();
  log.info({ handlers: names.length, transport: o.nc ? 'nats' : 'postgres' }, 'event dispatcher started');

  async function stop() {
    running = false;
    waker.wake();
    await listener.stop();
    await relay?.stop();
    await consumer?.stop();
    await loop;
    // Handlers in progress get a grace period; the rest keep their lease until it expires, then run elsewhere.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...inflight.values()].map((r) => r.done)),
      new Promise((r) => {
        grace = setTimeout(r, o.stopGraceMs ?? 10_000);
      }),
    ]);
    clearTimeout(grace);
    abandoned = true;
    for (const r of inflight.values()) r.ctl.abort();
    clearInterval(renew);
    if (retryTimer) clearTimeout(retryTimer);
    await flushing;
    await flush();
  }
  let stopping: Promise<void> | undefined;
  return {
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}

import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { TenantFanout } from './tenant-fanout.js';
import type { Bus, LiveMessage } from './types.js';

/**
 * The single-process bus: results go straight to the in-process ingest. Batches published before a consumer exists
 * (or while ingest fails) are queued, up to `maxQueuedBatches`; beyond that the oldest are dropped with a warning
 * (a process that polls but never ingests would otherwise grow without bound).
 */
export function createMemoryBus(opts: { log: Logger; publishTotal?: Counter<string>; maxQueuedBatches?: number }): Bus {
  const fanout = new TenantFanout();
  const queue: unknown[][] = [];
  const max = opts.maxQueuedBatches ?? 500;
  let handler: ((batch: unknown[]) => Promise<void>) | undefined;
  let draining: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const drain = () => {
    if (draining || !handler || closed) return;
    const h = handler;
    draining = (async () => {
      while (queue.length > 0 && handler === h && !closed) {
        const batch = queue[0] as unknown[];
        try {
          await h(batch);
          queue.shift();
        } catch (err) {
          opts.log.warn({ err }, 'ingest of a result batch failed; retrying in 1 s');
          retryTimer = setTimeout(() => {
            retryTimer = undefined;
            drain();
          }, 1000);
          retryTimer.unref();
          break;
        }
      }
    })().finally(() => {
      draining = undefined;
      if (queue.length > 0 && !retryTimer && handler && !closed) drain();
    });
  };

  return {
    kind: 'memory',
    async publishResults(batch) {
      if (closed) throw new Error('bus closed');
      queue.push(batch);
      opts.publishTotal?.inc({ kind: 'results', transport: 'memory' });
      if (queue.length > max) {
        queue.splice(0, queue.length - max);
        opts.log.warn({ max }, 'poll results queue full (no ingest running?); dropped the oldest batches');
      }
      drain();
    },
    async consumeResults(h) {
      if (handler) throw new Error('memory bus: one results consumer per process');
      handler = h;
      drain();
      return async () => {
        // Shutting down: hand what is queued to ingest first (bounded), so a clean stop loses nothing.
        const until = Date.now() + 5000;
        while (queue.length > 0 && !retryTimer && Date.now() < until) {
          drain();
          await draining;
        }
        handler = undefined;
        await draining;
      };
    },
    publishLive(msg: LiveMessage) {
      opts.publishTotal?.inc({ kind: 'live', transport: 'memory' });
      fanout.deliver(msg);
    },
    subscribeTenant(tenantId, h) {
      const { remove } = fanout.add(tenantId, h);
      return () => void remove();
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await draining;
    },
  };
}

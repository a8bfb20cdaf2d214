import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { withSystem, withTenant } from '../../platform/db/tx.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useByWorker } from '../../platform/kms/key-use.js';
import { channelsRepo } from './channels.repo.js';
import { type DeliveryRow, deliveriesRepo } from './deliveries.repo.js';
import { noticeFor, openTarget } from './notice.js';
import { type DeliverDeps, deliver } from './notify/send.js';
import type { DeliveryOutcome } from './notify/types.js';

// The outbox's sender (worker role). Rows are claimed with FOR UPDATE SKIP LOCKED under a lease, so two workers
// never send the same row at once; the outcome is written only by the claim that still owns the row. A worker that
// dies mid-send leaves its rows to be claimed again when the lease ends: the receiver then sees the same
// X-TOD-Delivery id twice at most, and de-duplicates on it (the one case at-least-once cannot avoid).

export type DeliveryOptions = {
  concurrency: number;
  retryBaseSeconds: number;
  leaseSeconds: number;
  baseUrl: string;
  send: DeliverDeps;
};

const MAX_RETRY_SECONDS = 3600;

/** Exponential backoff with ±20 % jitter: base, 2×base, 4×base … at most an hour. */
export function retryDelay(attempt: number, base: number, random = Math.random): number {
  const d = Math.min(MAX_RETRY_SECONDS, base * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(d * (0.8 + 0.4 * random())));
}

export function createDeliveryRunner(deps: {
  pools: { app: pg.Pool; system: pg.Pool };
  envelope: Envelope;
  log: Logger;
  registry: Registry;
  options: DeliveryOptions;
}) {
  const log = deps.log.child({ component: 'notifications' });
  const sent = new Counter({
    name: 'mikrotik_notifications_total',
    help: 'Notification attempts, by channel kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [deps.registry],
  });
  const claimId = randomUUID();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  let again = false;

  async function one(row: DeliveryRow): Promise<void> {
    const o = deps.options;
    let outcome: DeliveryOutcome;
    let kind = 'unknown';
    try {
      const ctx = await withTenant(deps.pools.app, row.tenant_id, async (db) => {
        const ch = await channelsRepo.get(db, row.channel_id);
        const notice =
          row.alert_id && row.transition !== 'test'
            ? await noticeFor(db, o.baseUrl, row.id, row.alert_id, row.transition, row.hold_reason === 'maintenance')
            : null;
        return { ch, notice };
      });
      if (!ctx.ch || !ctx.notice || !ctx.ch.enabled) {
        await finish(row, { state: 'failed', error: !ctx.ch?.enabled ? 'channel_disabled' : 'gone', status: null });
        return;
      }
      kind = ctx.ch.kind;
      outcome = await deliver(await openTarget(deps.envelope, ctx.ch, useByWorker('notify')), ctx.notice, o.send);
    } catch (err) {
      log.warn({ err, delivery: row.id }, 'notification failed before sending');
      outcome = { ok: false, retryable: true, reason: 'internal_error' };
    }
    sent.inc({ kind, outcome: outcome.ok ? 'sent' : outcome.retryable ? 'retry' : 'failed' });
    if (outcome.ok) return finish(row, { state: 'sent', error: null, status: outcome.status ?? null });
    const delay = retryDelay(row.attempts, o.retryBaseSeconds);
    const giveUp = !outcome.retryable || Date.now() + delay * 1000 > row.give_up_at.getTime();
    if (giveUp) log.warn({ delivery: row.id, reason: outcome.reason, attempts: row.attempts }, 'notification given up');
    await finish(row, {
      state: giveUp ? 'failed' : 'pending',
      error: outcome.reason,
      status: outcome.status ?? null,
      retryInSeconds: delay,
    });
  }

  async function finish(row: DeliveryRow, outcome: Parameters<typeof deliveriesRepo.finish>[3]) {
    const owned = await withSystem(deps.pools.system, (db) => deliveriesRepo.finish(db, row.id, claimId, outcome));
    if (!owned) log.warn({ delivery: row.id }, 'delivery outcome dropped: the claim lapsed');
  }

  async function pass(): Promise<number> {
    const o = deps.options;
    const rows = await withSystem(deps.pools.system, (db) =>
      deliveriesRepo.claim(db, claimId, o.concurrency, o.leaseSeconds),
    );
    await Promise.all(rows.map((r) => one(r)));
    return rows.length;
  }

  async function loop() {
    do {
      again = false;
      try {
        while (!stopped && (await pass()) > 0) {}
      } catch (err) {
        log.error({ err }, 'notification pass failed');
      }
    } while (again && !stopped);
    running = null;
  }

  /** Runs a pass now (evaluation queued something), or right after the one under way. */
  function kick() {
    if (stopped) return;
    if (running) again = true;
    else running = loop();
  }

  return {
    kick,
    start(everyMs = 500) {
      timer = setInterval(kick, everyMs);
      timer.unref();
      kick();
      return {
        stop: async () => {
          stopped = true;
          if (timer) clearInterval(timer);
          await running;
        },
      };
    },
  };
}
export type DeliveryRunner = ReturnType<typeof createDeliveryRunner>;

import type pg from 'pg';
import type { Logger } from 'pino';
import { withSystem } from '../../platform/db/tx.js';
import { type ClosedRow, type Counters, liveRepo } from './live.repo.js';

// The sessions this process carries (terminals and tunnels), and the loop that keeps them honest across processes:
// every 2 s it records their heartbeat and byte counters, ends the ones an owner or admin asked to end (the request
// may have reached another process), and every 10 s closes what a crashed process left open.

export type LiveSession = {
  readonly id: string;
  counters(): Counters;
  /** Ends the session (idempotent); `reason` is stored and audited. */
  close(reason: string): Promise<void>;
};

const BEAT_MS = 2_000;
const SWEEP_EVERY = 5;

export type LiveRegistry = ReturnType<typeof createLiveRegistry>;

export function createLiveRegistry(o: {
  systemPool: pg.Pool;
  log: Logger;
  instanceId: string;
  /** Audits a session the sweep closed (its process is gone), in the sweep's transaction. */
  auditClosed: (db: pg.PoolClient, row: ClosedRow) => Promise<unknown>;
}) {
  const sessions = new Map<string, LiveSession>();
  let timer: NodeJS.Timeout | undefined;
  let ticks = 0;
  let running: Promise<void> | undefined;

  async function tick() {
    const list = [...sessions.values()];
    // A process carrying nothing only sweeps (below): no transaction every 2 s for nothing.
    const asked: Array<{ id: string; by: string | null }> = [];
    if (list.length > 0)
      await withSystem(o.systemPool, async (db) => {
        await liveRepo.beat(
          db,
          o.instanceId,
          list.map((s) => s.counters()),
        );
        asked.push(
          ...(await liveRepo.closeRequested(
            db,
            list.map((s) => s.id),
          )),
        );
      });
    // Ended after the upkeep's transaction (each close is a transaction of its own); the tick is over once they are.
    await Promise.allSettled(asked.map((r) => sessions.get(r.id)?.close(r.by ? `ended by ${r.by}` : 'ended')));
    if (ticks++ % SWEEP_EVERY === 0) {
      await withSystem(o.systemPool, async (db) => {
        for (const r of await liveRepo.sweep(db)) await o.auditClosed(db, r);
      });
    }
  }

  function start() {
    timer ??= setInterval(() => {
      if (running) return;
      running = tick()
        .catch((e) => o.log.warn({ err: e }, 'remote access: session upkeep failed'))
        .finally(() => {
          running = undefined;
        });
    }, BEAT_MS);
    timer.unref();
  }

  return {
    instanceId: o.instanceId,
    start,
    add(s: LiveSession) {
      sessions.set(s.id, s);
      start();
    },
    remove(id: string) {
      sessions.delete(id);
    },
    get: (id: string) => sessions.get(id),
    get size() {
      return sessions.size;
    },
    /** Runs the upkeep once now (tests; and a request to end a session held here). */
    tick,
    /** Ends every session this process carries (shutdown) and stops the loop. */
    async stop(reason = 'server stopping') {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
      await Promise.all([...sessions.values()].map((s) => s.close(reason).catch(() => {})));
    },
  };
}

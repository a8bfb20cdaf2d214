import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { withSystem } from '../../platform/db/tx.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import type { Engine } from './engine.js';
import { type OperationRow, operationsRepo } from './operations.repo.js';

// Runs operations in the worker role: claims open ones nobody holds (new, or whose process died: the lease lapsed),
// holds the device's change lock and the operation's lease while the engine drives it. Stopping lets go of the
// lease at once so a sibling process (or the next start) resumes the operation from the device's state.

export type RunnerOptions = { leaseMs: number; pollMs: number; concurrency: number };

export function createOperationRunner(deps: {
  appPool: pg.Pool;
  systemPool: pg.Pool;
  engine: Engine;
  access: DeviceAccess;
  log: Logger;
  options: RunnerOptions;
}) {
  const owner = `ops-${randomUUID()}`;
  const { leaseMs } = deps.options;
  const running = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;

  async function run(op: OperationRow) {
    let alive = true;
    const renew = setInterval(() => {
      withSystem(deps.systemPool, (db) => operationsRepo.renew(db, op.id, owner, leaseMs))
        .then((ok) => {
          if (!ok) alive = false;
        })
        .catch(() => {});
    }, leaseMs / 3);
    const ref = { tenantId: op.tenant_id, deviceId: op.device_id };
    let retryMs = 0;
    try {
      const lock = await deps.access.changeLock(ref, {
        purpose: `change.${op.kind}`,
        holder: op.id,
        ttlMs: leaseMs,
        waitMs: 5000,
        autoRenew: true,
      });
      try {
        await deps.engine.drive(op, () => alive && !stopped);
      } finally {
        await lock.release().catch(() => {});
      }
    } catch (err) {
      retryMs = stopped ? 0 : 3000;
      deps.log.warn({ err, operation: op.id }, 'change operation interrupted; it resumes from the device state');
    } finally {
      clearInterval(renew);
      await withSystem(deps.systemPool, (db) => operationsRepo.unclaim(db, op.id, owner, retryMs)).catch(() => {});
    }
  }

  async function tick() {
    const free = deps.options.concurrency - running.size;
    if (free <= 0 || stopped) return;
    const ops = await withSystem(deps.systemPool, (db) => operationsRepo.claim(db, owner, free, leaseMs));
    for (const op of ops) {
      const done = run(op).finally(() => running.delete(op.id));
      running.set(op.id, done);
    }
  }

  return {
    start() {
      stopped = false;
      const loop = () => {
        tick()
          .catch((err) => deps.log.warn({ err }, 'change operation claim failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(loop, deps.options.pollMs);
          });
      };
      loop();
      return {
        stop: async () => {
          stopped = true;
          if (timer) clearTimeout(timer);
          await Promise.allSettled([...running.values()]);
        },
      };
    },
    /** Runs due operations now (tests, and the API process of a single-process install between ticks). */
    tick,
  };
}
export type OperationRunner = ReturnType<typeof createOperationRunner>;

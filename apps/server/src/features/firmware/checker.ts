import { randomUUID } from 'node:crypto';
import { TrapError } from '@tod/routeros';
import type pg from 'pg';
import type { Logger } from 'pino';
import { withSystem, withTenant } from '../../platform/db/tx.js';
import { AppError } from '../../platform/http/errors.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import { devicesRepo } from '../devices/devices.repo.js';
import { checkForUpdates, readInventory } from './collect.js';
import { type Claimed, firmwareRepo } from './firmware.repo.js';

// Runs due firmware checks: each claims its router under a lease (one worker per router and round), reads what it
// runs and asks `check-for-updates`, and stores the result or the reason it could not. The schedule only marks
// routers due (a single UPDATE, once per interval across processes); the worker role's loop and a request's own
// pass do the checks, a bounded number at once.

export type CheckerOptions = { concurrency: number; leaseMs: number; pollMs: number };

export function createChecker(deps: {
  appPool: pg.Pool;
  systemPool: pg.Pool;
  access: DeviceAccess;
  log: Logger;
  options: CheckerOptions;
}) {
  const owner = `firmware-${randomUUID()}`;
  const o = deps.options;

  async function checkOne(c: Claimed): Promise<'checked' | 'failed'> {
    const ref = { tenantId: c.tenant_id, deviceId: c.device_id };
    try {
      const { inv, check } = await deps.access.withApi(ref, 'firmware', async (client) => ({
        inv: await readInventory(client),
        check: await checkForUpdates(client),
      }));
      await withTenant(deps.appPool, c.tenant_id, async (db) => {
        const kept = await firmwareRepo.storeCheck(db, c, owner, inv, check);
        // The device's own record says it too: this check is the only check-for-updates TOD asks.
        if (kept && check.latestVersion) await devicesRepo.setLatestVersion(db, c.device_id, check.latestVersion);
      });
      return 'checked';
    } catch (err) {
      const [code, message] =
        err instanceof AppError
          ? [err.code, err.message]
          : err instanceof TrapError
            ? ['command_failed', 'the router refused a firmware command']
            : ['error', 'the check failed unexpectedly (see the log)'];
      if (!(err instanceof AppError || err instanceof TrapError))
        deps.log.warn({ err, device: c.device_id }, 'firmware check');
      await withTenant(deps.appPool, c.tenant_id, (db) => firmwareRepo.storeFailure(db, c, owner, code, message)).catch(
        (e) => deps.log.warn({ err: e }, 'firmware check: storing the failure'),
      );
      return 'failed';
    }
  }

  /** Checks claimed rows, `concurrency` at once. */
  async function runAll(claimed: Claimed[]): Promise<{ checked: number; failed: number }> {
    const out = { checked: 0, failed: 0 };
    let next = 0;
    const worker = async () => {
      for (let c = claimed[next++]; c; c = claimed[next++]) out[await checkOne(c)]++;
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency, claimed.length) }, worker));
    return out;
  }

  /** Claims what is due (every organisation) and checks it; until nothing is due or the process stops. */
  async function pass(isStopped: () => boolean): Promise<number> {
    let done = 0;
    while (!isStopped()) {
      const claimed = await withSystem(deps.systemPool, (db) =>
        firmwareRepo.claimDue(db, owner, o.concurrency * 4, o.leaseMs),
      );
      if (claimed.length === 0) break;
      const r = await runAll(claimed);
      done += r.checked + r.failed;
    }
    return done;
  }

  return {
    owner,
    /** One organisation's due devices (a request's): claimed under RLS and checked here. */
    async checkTenant(tenantId: string, deviceIds: readonly string[]) {
      const total = { checked: 0, failed: 0 };
      for (;;) {
        const claimed = await withTenant(deps.appPool, tenantId, (db) =>
          firmwareRepo.claimDue(db, owner, o.concurrency * 4, o.leaseMs, deviceIds),
        );
        if (claimed.length === 0) return total;
        const r = await runAll(claimed);
        total.checked += r.checked;
        total.failed += r.failed;
      }
    },
    /** Checks what is due in every organisation until nothing is (the worker's loop; tests call it directly). */
    pass,
    /** The worker role's loop. */
    start() {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      let running: Promise<unknown> = Promise.resolve();
      const loop = () => {
        running = pass(() => stopped)
          .catch((err) => deps.log.warn({ err }, 'firmware checks failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(loop, o.pollMs);
          });
      };
      loop();
      return {
        stop: async () => {
          stopped = true;
          if (timer) clearTimeout(timer);
          await running;
        },
      };
    },
  };
}
export type Checker = ReturnType<typeof createChecker>;

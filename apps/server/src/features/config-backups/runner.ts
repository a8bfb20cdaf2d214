import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { withSystem, withTenant } from '../../platform/db/tx.js';
import { recordEvent } from '../../platform/events/index.js';
import { subjectGone } from '../../platform/events/repo.js';
import { AppError } from '../../platform/http/errors.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import { type DeviceRef, takeLease } from '../device-access/leases.js';
import { DeviceAccessError } from '../device-access/taxonomy.js';
import { captureDevice } from './capture.js';
import { BackupFailure } from './failures.js';
import { type JobRow, jobsRepo } from './jobs.repo.js';
import { stateRepo } from './state.repo.js';
import type { Store } from './store.js';

// Runs capture jobs: claims due ones (SKIP LOCKED, with a lease longer than the per-device deadline, so a job whose
// process died is claimed again once the lease ends), at most `concurrency` at a time in this process, each within
// a deadline, retried with backoff when the failure may pass (a timeout, a dropped transfer) and not when it will
// not (wrong credentials, a changed host key, an unsupported router).

const TRANSIENT = new Set([
  'timeout',
  'unreachable',
  'refused',
  'connection_lost',
  'dns',
  'error',
  'ssh_timeout',
  'ssh_transfer_incomplete',
  'backup_truncated',
  'backup_timeout',
  'device_sessions_busy',
  'device_busy',
]);

export type RunnerOptions = {
  concurrency: number;
  deadlineMs: number;
  retryBaseMs: number;
  pollMs: number;
};

export type DeviceVersion = (tenantId: string, deviceId: string) => Promise<string | null>;

function failureOf(err: unknown): { code: string; detail: string } {
  if (err instanceof DeviceAccessError) return { code: err.failure, detail: err.message };
  if (err instanceof BackupFailure) return { code: err.failure, detail: err.message };
  if (err instanceof AppError) return { code: err.code, detail: err.message };
  return { code: 'error', detail: 'the backup failed unexpectedly' };
}

const jobEvent = (j: JobRow) => ({
  type: 'config.job_updated',
  tenantId: j.tenant_id,
  deviceId: j.device_id,
  payload: {
    job_id: j.id,
    status: j.status,
    trigger: j.trigger,
    attempts: j.attempts,
    version_id: j.version_id,
    unchanged: j.unchanged,
    error_code: j.error_code,
  },
});

export function createRunner(deps: {
  appPool: pg.Pool;
  systemPool: pg.Pool;
  access: DeviceAccess;
  store: Store;
  deviceVersion: DeviceVersion;
  log: Logger;
  options: RunnerOptions;
}) {
  const o = deps.options;
  const owner = `backup:${randomUUID()}`;
  const leaseMs = o.deadlineMs + 60_000;
  let running = 0;
  const inTenant = <T>(tenantId: string, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, tenantId, fn);

  /**
   * One capture per device at a time, across processes (the 'backup' lease): a capture's cleanup of leftover files
   * would otherwise delete the file of another capture running on the same device. A fresh holder each time, so a
   * retry after a timeout waits for the abandoned capture to end rather than joining it.
   */
  async function captureAlone(ref: DeviceRef, tag: string, major: number | null) {
    const lease = await takeLease(deps.appPool, ref, {
      names: ['backup'],
      purpose: 'backup',
      ttlMs: 60_000,
      waitMs: o.deadlineMs,
      autoRenew: true,
    });
    if (!lease) throw new AppError('device_busy', 'another backup of this device is still running');
    try {
      return await captureDevice(deps.access, ref, { tag, major, timeoutMs: o.deadlineMs });
    } finally {
      await lease.release().catch(() => {});
    }
  }

  async function attempt(job: JobRow) {
    const ref = { tenantId: job.tenant_id, deviceId: job.device_id };
    const version = await deps.deviceVersion(job.tenant_id, job.device_id);
    const major = version ? Number.parseInt(version, 10) || null : null;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new BackupFailure('backup_timeout', `the backup took longer than ${Math.round(o.deadlineMs / 1000)} s`),
          ),
        o.deadlineMs,
      );
    });
    try {
      const captured = await Promise.race([captureAlone(ref, job.id.replaceAll('-', '').slice(-12), major), deadline]);
      return await deps.store.save({
        tenantId: job.tenant_id,
        deviceId: job.device_id,
        captured,
        trigger: job.trigger,
        checkpointName: job.checkpoint_name,
        changedBy: job.changed_by,
        changeLog: job.change_log,
        jobId: job.id,
        actor: job.actor as never,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a job this process has claimed; resolves with the job as it ended (never throws for the device's faults). */
  async function run(job: JobRow): Promise<JobRow> {
    await inTenant(job.tenant_id, (db) => recordEvent(db, jobEvent(job))).catch(() => {});
    try {
      const stored = await attempt(job);
      const done = await inTenant(job.tenant_id, async (db) => {
        const row = await jobsRepo.succeed(db, job.id, owner, {
          version_id: stored.version.version_id,
          sha256: stored.version.sha256,
          unchanged: stored.unchanged,
          method: stored.version.method,
          note: null,
        });
        if (row) await recordEvent(db, jobEvent(row));
        return row;
      });
      return done ?? job;
    } catch (err) {
      // Deleted meanwhile (alone or with its organisation): the job went with it, and there is nothing to record.
      if (await subjectGone(deps.systemPool, { tenantId: job.tenant_id, deviceId: job.device_id }).catch(() => false)) {
        deps.log.info({ job: job.id }, 'config backup dropped: its device or organisation was deleted');
        return job;
      }
      const f = failureOf(err);
      if (!(err instanceof AppError)) deps.log.error({ err, job: job.id }, 'config backup failed unexpectedly');
      const retryInMs = TRANSIENT.has(f.code) ? o.retryBaseMs * 4 ** Math.max(0, job.attempts - 1) : null;
      const row = await inTenant(job.tenant_id, async (db) => {
        const r = await jobsRepo.fail(db, job.id, owner, { ...f, retryInMs });
        if (r?.status === 'failed')
          await stateRepo.failed(db, { tenant_id: job.tenant_id, device_id: job.device_id, ...f });
        if (r) await recordEvent(db, jobEvent(r));
        return r;
      });
      return row ?? job;
    }
  }

  async function claimAndRun(): Promise<number> {
    const free = o.concurrency - running;
    if (free <= 0) return 0;
    const jobs = await withSystem(deps.systemPool, (db) => jobsRepo.claim(db, owner, free, leaseMs));
    for (const job of jobs) {
      running++;
      void run(job)
        .catch((err) => deps.log.error({ err, job: job.id }, 'config backup job crashed'))
        .finally(() => {
          running--;
          kick();
        });
    }
    return jobs.length;
  }

  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let ticking: Promise<unknown> = Promise.resolve();
  function kick() {
    if (stopped) return;
    ticking = ticking.then(() => claimAndRun()).catch((err) => deps.log.warn({ err }, 'config backup claim failed'));
  }

  return {
    owner,
    run,
    /** Claims and runs one specific queued job in this process (a caller that needs the result now). */
    async runNow(job: JobRow): Promise<JobRow> {
      const claimed = await inTenant(job.tenant_id, (db) => jobsRepo.claimOne(db, job.id, owner, leaseMs));
      if (!claimed) return job;
      running++;
      try {
        return await run(claimed);
      } finally {
        running--;
      }
    },
    get running() {
      return running;
    },
    start() {
      stopped = false;
      timer = setInterval(kick, o.pollMs);
      kick();
      return {
        async stop() {
          stopped = true;
          clearInterval(timer);
          await ticking;
          while (running > 0) await new Promise((r) => setTimeout(r, 50));
        },
      };
    },
  };
}
export type Runner = ReturnType<typeof createRunner>;

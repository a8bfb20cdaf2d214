import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { withSystem, withTenant } from '../../platform/db/tx.js';
import { recordEvent, recordEvents } from '../../platform/events/index.js';
import { AppError } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useByWorker } from '../../platform/kms/key-use.js';
import { KmsError } from '../../platform/kms/provider.js';
import type { BuiltReport, ReportParams } from './content/index.js';
import { sealReport } from './file.js';
import { reportEvent } from './live.js';
import { type ReportRow, reportsRepo } from './reports.repo.js';

// Renders reports in the worker role. Queued reports are claimed across organisations with SKIP LOCKED under a
// lease that a timer renews while the report renders, so a report whose worker died is claimed again once its
// lease ends (and fails after max_attempts such deaths: a report that kills its worker must not do it forever).
// At most `concurrency` reports render at once per process: a report costs CPU. The outcome is written only while
// this runner's claim still owns the row, so a worker that lost its lease (paused, cut off) changes nothing.

export type BuildReport = (tenant: { id: string; name: string }, p: ReportParams) => Promise<BuiltReport>;

export type ReportRunnerOptions = {
  concurrency: number;
  leaseMs: number;
  /** The longest one report may render before it fails with `report_timeout`. */
  deadlineMs: number;
  pollMs: number;
};

export const defaultRunnerOptions: ReportRunnerOptions = {
  concurrency: 2,
  leaseMs: 60_000,
  deadlineMs: 15 * 60_000,
  pollMs: 1000,
};

/** The content's parameters from a stored report. */
export function paramsOf(r: Pick<ReportRow, 'kind' | 'format' | 'params'>): ReportParams {
  const p = r.params;
  return {
    kind: r.kind as ReportParams['kind'],
    format: r.format as ReportParams['format'],
    from: new Date(p.from),
    to: new Date(p.to),
    ...(p.device_id ? { deviceId: p.device_id } : {}),
    ...(p.site_id ? { siteId: p.site_id } : {}),
    ...(p.target_pct !== undefined ? { targetPct: p.target_pct } : {}),
  };
}

/** What a failed report says: the content's own errors as they are, anything else in TOD's words (logged). */
function failureOf(err: unknown): { code: string; detail: string } {
  if (err instanceof AppError) return { code: err.code, detail: err.message };
  if (err instanceof KmsError)
    return { code: 'key_provider_unavailable', detail: 'the organisation key could not be used' };
  return { code: 'report_failed', detail: 'the report could not be built' };
}

export function createReportRunner(deps: {
  appPool: pg.Pool;
  systemPool: pg.Pool;
  envelope: Envelope;
  build: BuildReport;
  tenantName: (tenantId: string) => Promise<string>;
  log: Logger;
  /** Called after a report is done (the email sender looks for work). */
  onDone?: (r: ReportRow) => void;
  options?: Partial<ReportRunnerOptions>;
}) {
  const o = { ...defaultRunnerOptions, ...deps.options };
  const owner = `report:${randomUUID()}`;
  const log = deps.log.child({ component: 'reports' });
  let running = 0;

  async function render(r: ReportRow): Promise<BuiltReport> {
    const name = await deps.tenantName(r.tenant_id);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new AppError('report_timeout', `the report took longer than ${Math.round(o.deadlineMs / 1000)} s`)),
        o.deadlineMs,
      );
    });
    try {
      return await Promise.race([deps.build({ id: r.tenant_id, name }, paramsOf(r)), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Renders a report this runner has claimed; resolves with the row as it ended (never throws for the report). */
  async function run(r: ReportRow): Promise<ReportRow> {
    await withTenant(deps.appPool, r.tenant_id, (db) => recordEvent(db, reportEvent(r))).catch(() => {});
    let lost = false;
    const renew = setInterval(
      () => {
        reportsRepo
          .renew(deps.systemPool, r.id, owner, o.leaseMs)
          .then((held) => {
            if (!held) lost = true;
          })
          .catch((err) => log.warn({ err, report: r.id }, 'report lease renewal failed'));
      },
      Math.max(50, Math.floor(o.leaseMs / 3)),
    );
    try {
      const built = await render(r);
      const sealed = await sealReport(deps.envelope, r.tenant_id, r.id, built.data, useByWorker('reports', 'seal'));
      const done = await withTenant(deps.appPool, r.tenant_id, async (db) => {
        const row = await reportsRepo.finish(db, r.id, owner, {
          file: sealed,
          file_name: built.fileName,
          content_type: built.contentType,
          size: built.data.length,
          summary: built.summary,
        });
        if (row) await recordEvent(db, reportEvent(row));
        return row;
      });
      if (!done) log.warn({ report: r.id, lost }, 'report finished after its claim lapsed: outcome dropped');
      else deps.onDone?.(done);
      return done ?? r;
    } catch (err) {
      const f = failureOf(err);
      if (f.code === 'report_failed') log.error({ err, report: r.id }, 'report failed unexpectedly');
      const row = await withTenant(deps.appPool, r.tenant_id, async (db) => {
        const row = await reportsRepo.fail(db, r.id, owner, f);
        if (row) await recordEvent(db, reportEvent(row));
        return row;
      });
      return row ?? r;
    } finally {
      clearInterval(renew);
    }
  }

  /** Fails reports abandoned too often, then claims up to `n`. */
  const claim = (n: number) =>
    withSystem(deps.systemPool, async (db) => {
      const abandoned = await reportsRepo.failAbandoned(db);
      await recordEvents(
        db,
        abandoned.map((a) => reportEvent(a)),
      );
      return reportsRepo.claim(db, owner, n, o.leaseMs);
    });

  /** Claims what this process has room for and starts rendering it. */
  async function pass(): Promise<ReportRow[]> {
    const free = o.concurrency - running;
    if (free <= 0) return [];
    const claimed = await claim(free);
    for (const r of claimed) {
      running++;
      void run(r)
        .catch((err) => log.error({ err, report: r.id }, 'report run crashed'))
        .finally(() => {
          running--;
          kick();
        });
    }
    return claimed;
  }

  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let ticking: Promise<unknown> = Promise.resolve();
  function kick() {
    if (stopped) return;
    ticking = ticking.then(() => pass()).catch((err) => log.warn({ err }, 'report claim failed'));
  }

  return {
    owner,
    /** Claims and renders what is waiting, and resolves when those reports have ended (tests, the CLI). */
    async runOnce(): Promise<ReportRow[]> {
      const claimed = await claim(o.concurrency);
      running += claimed.length;
      try {
        return await Promise.all(claimed.map((r) => run(r)));
      } finally {
        running -= claimed.length;
      }
    },
    /** A report was queued: look now rather than at the next poll (no-op unless started). */
    kick,
    get running() {
      return running;
    },
    start() {
      stopped = false;
      timer = setInterval(kick, o.pollMs);
      timer.unref();
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
export type ReportRunner = ReturnType<typeof createReportRunner>;

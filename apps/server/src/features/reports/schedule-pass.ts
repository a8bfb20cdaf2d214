import type pg from 'pg';
import type { Logger } from 'pino';
import { withSystem } from '../../platform/db/tx.js';
import { recordEvent } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/events/uuid7.js';
import { reportEvent } from './live.js';
import { type ScheduleRow, schedulesRepo } from './report-schedules.repo.js';
import { reportsRepo, type StoredParams } from './reports.repo.js';
import { nextRunAfter, type Period, periodEnding } from './schedule.js';

// The schedule pass (worker role, a platform schedule: exactly once a minute across workers). Due schedules are
// locked (SKIP LOCKED) and moved to their next run in the transaction that queues their report, so a second pass
// at the same time finds nothing due; the report's unique (schedule_id, scheduled_for) makes the run's report once
// even if two passes ever saw the same run. A run's report covers the period that ends at the run time
// (schedule.ts); its recipients are the schedule's at that moment.

function reportOf(s: ScheduleRow, runAt: Date) {
  const period = periodEnding(runAt, s.params.period as Period, s.timezone);
  const params: StoredParams = {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    period: s.params.period,
    ...(s.params.device_id ? { device_id: s.params.device_id } : {}),
    ...(s.params.site_id ? { site_id: s.params.site_id } : {}),
    ...(s.params.target_pct !== undefined ? { target_pct: s.params.target_pct } : {}),
  };
  return {
    id: uuidv7(),
    tenant_id: s.tenant_id,
    kind: s.kind,
    format: s.format,
    params,
    requested_by: { type: 'schedule' as const, id: s.id, label: s.name },
    schedule_id: s.id,
    scheduled_for: runAt,
    email_to: s.recipients,
  };
}

/** Queues the report of every due schedule; returns how many reports it queued. */
export async function schedulePass(systemPool: pg.Pool, log: Logger, batch = 200): Promise<number> {
  return withSystem(systemPool, async (db) => {
    const due = await schedulesRepo.lockDue(db, batch);
    const now = new Date();
    let queued = 0;
    for (const s of due) {
      const runAt = s.next_run_at as Date;
      let next: Date | null = null;
      try {
        // From the missed run or now, whichever is later: a worker that was down runs a schedule once, not per miss.
        next = nextRunAfter(s.cron, s.timezone, new Date(Math.max(now.getTime(), runAt.getTime())));
      } catch (err) {
        log.warn({ err, schedule: s.id }, 'report schedule has no next run; it stops');
      }
      const report = await reportsRepo.insertScheduled(db, reportOf(s, runAt));
      await schedulesRepo.advance(db, s.id, next, report?.id ?? null);
      if (report) {
        queued++;
        await recordEvent(db, reportEvent(report));
      }
    }
    return queued;
  });
}

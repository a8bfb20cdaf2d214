import { createHash } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import type pg from 'pg';
import { withSystem } from '../../platform/db/tx.js';
import { uuidv7 } from '../../platform/events/uuid7.js';
import { AppError } from '../../platform/http/errors.js';
import { jobsRepo } from './jobs.repo.js';
import { DEFAULT_SCHEDULE, type Schedule } from './settings.repo.js';

// When each device is backed up on schedule. A cron expression in a time zone, plus a per-device offset (stable,
// from the device id) of up to an hour — at most a quarter of the gap between two runs — so 10,000 routers on
// "daily at 02:00" are spread over an hour instead of hit in the same second.

const MIN_GAP_MS = 15 * 60_000;
const MAX_SPREAD_MS = 60 * 60_000;

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Throws a 422 `invalid_schedule` unless the cron and time zone are valid and fire at most every 15 minutes. */
export function checkSchedule(s: Schedule): void {
  if (!validTimezone(s.timezone)) throw new AppError('invalid_schedule', `unknown time zone ${s.timezone}`);
  let it: ReturnType<typeof CronExpressionParser.parse>;
  try {
    it = CronExpressionParser.parse(s.cron, { tz: s.timezone });
  } catch {
    throw new AppError('invalid_schedule', 'not a valid cron expression (minute hour day month weekday)');
  }
  const times = it.take(5).map((d) => d.getTime());
  for (let i = 1; i < times.length; i++)
    if ((times[i] as number) - (times[i - 1] as number) < MIN_GAP_MS)
      throw new AppError('invalid_schedule', 'backups may run at most every 15 minutes');
}

function offsetOf(deviceId: string, spreadMs: number): number {
  const h = createHash('sha256').update(deviceId).digest().readUInt32BE(0);
  return spreadMs <= 0 ? 0 : h % spreadMs;
}

/** The device's next scheduled backup after `after`, or null when its schedule is off. */
export function nextRun(s: Schedule, deviceId: string, after: Date): Date | null {
  if (!s.enabled) return null;
  // Step back by the largest possible offset so a run whose base time passed but whose offset has not is not skipped.
  const it = CronExpressionParser.parse(s.cron, {
    tz: s.timezone,
    currentDate: new Date(after.getTime() - MAX_SPREAD_MS),
  });
  let following = it.next().getTime();
  for (let i = 0; i < 500; i++) {
    const base = following;
    following = it.next().getTime();
    const at = base + offsetOf(deviceId, Math.min(MAX_SPREAD_MS, Math.floor((following - base) / 4)));
    if (at > after.getTime()) return new Date(at);
  }
  return null;
}

const scheduleKey = (s: Schedule) => `${s.enabled ? 1 : 0}|${s.cron}|${s.timezone}`;

type DueRow = {
  device_id: string;
  tenant_id: string;
  next_run_at: Date | null;
  cron: string | null;
  timezone: string | null;
  enabled: boolean | null;
};

const EFFECTIVE = `
  select s.device_id, s.tenant_id, s.next_run_at,
         coalesce(ds.cron, cs.cron) as cron, coalesce(ds.timezone, cs.timezone) as timezone,
         coalesce(ds.enabled, cs.enabled) as enabled
    from config_device_state s
    left join config_device_schedules ds on ds.device_id = s.device_id
    left join config_settings cs on cs.tenant_id = s.tenant_id`;

const effective = (r: DueRow): Schedule =>
  r.cron === null ? DEFAULT_SCHEDULE : { cron: r.cron, timezone: r.timezone ?? 'UTC', enabled: r.enabled ?? true };

/**
 * One scheduler pass (worker role, exactly once per interval across processes): gives new devices a state row,
 * computes next runs that are unknown, and turns due ones into jobs. Due rows are locked (SKIP LOCKED) and moved to
 * their next run in the same transaction that queues the job, so two workers never queue the same run twice.
 */
export async function schedulerPass(systemPool: pg.Pool, batch = 1000): Promise<{ queued: number; planned: number }> {
  await systemPool.query(
    `insert into config_device_state (device_id, tenant_id)
     select d.id, d.tenant_id from devices d where not exists (select 1 from config_device_state s where s.device_id = d.id)
     on conflict do nothing`,
  );
  const now = new Date();
  const planned = await withSystem(systemPool, async (db) => {
    const r = await db.query<DueRow>(`${EFFECTIVE} where s.schedule_key is null limit $1 for update of s skip locked`, [
      batch,
    ]);
    const ids: string[] = [];
    const at: Array<string | null> = [];
    const keys: string[] = [];
    for (const row of r.rows) {
      const s = effective(row);
      ids.push(row.device_id);
      at.push(nextRun(s, row.device_id, now)?.toISOString() ?? null);
      keys.push(scheduleKey(s));
    }
    if (ids.length > 0)
      await db.query(
        `update config_device_state s set next_run_at = x.at, schedule_key = x.key
           from unnest($1::uuid[], $2::timestamptz[], $3::text[]) as x(id, at, key) where s.device_id = x.id`,
        [ids, at, keys],
      );
    return ids.length;
  });
  const queued = await withSystem(systemPool, async (db) => {
    const r = await db.query<DueRow>(
      `${EFFECTIVE} where s.next_run_at <= now() order by s.next_run_at limit $1 for update of s skip locked`,
      [batch],
    );
    const ids: string[] = [];
    const at: Array<string | null> = [];
    for (const row of r.rows) {
      await jobsRepo.enqueue(db, {
        id: uuidv7(),
        tenant_id: row.tenant_id,
        device_id: row.device_id,
        trigger: 'schedule',
      });
      ids.push(row.device_id);
      // From the due time, not from now: a late pass does not shift the device's slot.
      const from = new Date(Math.max(now.getTime(), (row.next_run_at as Date).getTime()));
      at.push(nextRun(effective(row), row.device_id, from)?.toISOString() ?? null);
    }
    if (ids.length > 0)
      await db.query(
        `update config_device_state s set next_run_at = x.at
           from unnest($1::uuid[], $2::timestamptz[]) as x(id, at) where s.device_id = x.id`,
        [ids, at],
      );
    return ids.length;
  });
  return { queued, planned };
}

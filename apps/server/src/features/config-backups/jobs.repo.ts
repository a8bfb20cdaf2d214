import type { Db } from '../../platform/db/tx.js';
import type { Trigger } from './versions.repo.js';

// config_jobs: durable capture jobs. Claimed across tenants by the worker role (system pool) with SKIP LOCKED under a
// lease; a running job whose lease expired (its process died) is claimed again.

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export type JobRow = {
  id: string;
  tenant_id: string;
  device_id: string;
  trigger: Trigger;
  checkpoint_name: string | null;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_after: Date;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  actor: { type: string; id: string | null; label: string } | null;
  changed_by: string | null;
  change_log: unknown;
  version_id: string | null;
  sha256: string | null;
  unchanged: boolean | null;
  method: string | null;
  note: string | null;
  error_code: string | null;
  error_detail: string | null;
};

export type NewJob = {
  id: string;
  tenant_id: string;
  device_id: string;
  trigger: Trigger;
  checkpoint_name?: string | null;
  actor?: JobRow['actor'];
  changed_by?: string | null;
  change_log?: unknown;
  run_after?: Date;
  max_attempts?: number;
};

const JOINABLE = `status = 'queued' and trigger in ('schedule', 'config_change')`;

export const jobsRepo = {
  /**
   * A new job; a scheduled or change-triggered one joins the device's waiting one instead (the earlier start wins, a
   * change makes it a change backup and adds who changed what). Returns the job that will run.
   */
  async enqueue(db: Db, j: NewJob): Promise<JobRow> {
    const joinable = j.trigger === 'schedule' || j.trigger === 'config_change';
    const r = await db.query<JobRow>(
      `insert into config_jobs (id, tenant_id, device_id, trigger, checkpoint_name, actor, changed_by, change_log,
         run_after, max_attempts)
       values ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, now()), $10)
       ${
         joinable
           ? `on conflict (device_id) where ${JOINABLE} do update set
                run_after = least(config_jobs.run_after, excluded.run_after),
                trigger = case when excluded.trigger = 'config_change' then 'config_change' else config_jobs.trigger end,
                changed_by = coalesce(excluded.changed_by, config_jobs.changed_by),
                change_log = case when excluded.change_log is null then config_jobs.change_log
                                  when config_jobs.change_log is null then excluded.change_log
                                  else config_jobs.change_log || excluded.change_log end`
           : ''
       }
       returning *`,
      [
        j.id,
        j.tenant_id,
        j.device_id,
        j.trigger,
        j.checkpoint_name ?? null,
        j.actor ? JSON.stringify(j.actor) : null,
        j.changed_by ?? null,
        j.change_log === undefined || j.change_log === null ? null : JSON.stringify(j.change_log),
        j.run_after ?? null,
        j.max_attempts ?? 3,
      ],
    );
    return r.rows[0]!;
  },

  async byId(db: Db, id: string): Promise<JobRow | undefined> {
    const r = await db.query<JobRow>('select * from config_jobs where id = $1', [id]);
    return r.rows[0];
  },

  async listForDevice(db: Db, deviceId: string, limit: number): Promise<JobRow[]> {
    const r = await db.query<JobRow>(
      'select * from config_jobs where device_id = $1 order by created_at desc limit $2',
      [deviceId, limit],
    );
    return r.rows;
  },

  /** The device's waiting manual job, so a second "Back up now" joins it. */
  async waitingManual(db: Db, deviceId: string): Promise<JobRow | undefined> {
    const r = await db.query<JobRow>(
      // Only one not started yet: a running one may have read the device before the change the caller wants kept.
      `select * from config_jobs where device_id = $1 and trigger = 'manual' and status = 'queued'
        order by created_at desc limit 1`,
      [deviceId],
    );
    return r.rows[0];
  },

  /** Claims up to `n` due jobs (or ones whose holder's lease ran out) for `owner`. */
  async claim(db: Db, owner: string, n: number, leaseMs: number): Promise<JobRow[]> {
    const r = await db.query<JobRow>(
      // PostgreSQL refuses FOR UPDATE on the arms of a UNION: each arm locks in its own CTE.
      `with due as (select id from config_jobs where status = 'queued' and run_after <= now() order by run_after
                     limit $2 for update skip locked),
            lapsed as (select id from config_jobs where status = 'running' and claimed_until < now() limit $2
                        for update skip locked)
       update config_jobs j set status = 'running', claimed_by = $1,
              claimed_until = now() + make_interval(secs => $3::double precision / 1000),
              attempts = j.attempts + 1, started_at = coalesce(j.started_at, now())
        where j.id in (select id from due union all select id from lapsed)
       returning j.*`,
      [owner, n, leaseMs],
    );
    return r.rows;
  },

  /** Claims one specific job now (a caller that runs it itself, e.g. before a change). */
  async claimOne(db: Db, id: string, owner: string, leaseMs: number): Promise<JobRow | undefined> {
    const r = await db.query<JobRow>(
      `update config_jobs set status = 'running', claimed_by = $2,
              claimed_until = now() + make_interval(secs => $3::double precision / 1000),
              attempts = attempts + 1, started_at = coalesce(started_at, now())
        where id = $1 and status = 'queued' returning *`,
      [id, owner, leaseMs],
    );
    return r.rows[0];
  },

  async succeed(
    db: Db,
    id: string,
    owner: string,
    r: { version_id: string; sha256: string; unchanged: boolean; method: string; note: string | null },
  ): Promise<JobRow | undefined> {
    const q = await db.query<JobRow>(
      `update config_jobs set status = 'succeeded', finished_at = now(), claimed_until = null, version_id = $3,
              sha256 = $4, unchanged = $5, method = $6, note = $7, error_code = null, error_detail = null
        where id = $1 and claimed_by = $2 and status = 'running' returning *`,
      [id, owner, r.version_id, r.sha256, r.unchanged, r.method, r.note],
    );
    return q.rows[0];
  },

  /** A failed attempt: queued again after `retryInMs`, or failed for good (null, or attempts used up). */
  async fail(
    db: Db,
    id: string,
    owner: string,
    e: { code: string; detail: string; retryInMs: number | null },
  ): Promise<JobRow | undefined> {
    const q = await db.query<JobRow>(
      `with d as (
         select j.id, ($5::double precision is not null and j.attempts < j.max_attempts
                  and not (j.trigger in ('schedule', 'config_change') and exists (
                    select 1 from config_jobs w where w.device_id = j.device_id and w.id <> j.id
                      and w.status = 'queued' and w.trigger in ('schedule', 'config_change')))) as again
           from config_jobs j where j.id = $1 and j.claimed_by = $2 and j.status = 'running')
       update config_jobs j set
              status = case when d.again then 'queued' else 'failed' end,
              run_after = case when d.again then now() + make_interval(secs => $5::double precision / 1000) else j.run_after end,
              finished_at = case when d.again then null else now() end,
              claimed_until = null, error_code = $3, error_detail = $4
         from d where j.id = d.id returning j.*`,
      [id, owner, e.code, e.detail, e.retryInMs],
    );
    return q.rows[0];
  },

  /** Old finished jobs go (the versions and the device state keep what matters). */
  async deleteFinishedBefore(db: Db, days: number): Promise<number> {
    const r = await db.query(
      `delete from config_jobs where status in ('succeeded', 'failed') and finished_at < now() - make_interval(days => $1)`,
      [days],
    );
    return r.rowCount ?? 0;
  },
};

import { newestFirst } from '../../platform/db/newest-first.js';
import type { Db } from '../../platform/db/tx.js';

// reports: one durable job per report (migration 069). Requests read and write their tenant's rows (app role, RLS);
// the worker claims across tenants (system role) with SKIP LOCKED under a lease, and writes an outcome only while
// its claim still owns the row.

export type ReportStatus = 'queued' | 'running' | 'done' | 'failed';

/** What a report covers, as stored (ISO 8601 times). */
export type StoredParams = {
  from: string;
  to: string;
  device_id?: string;
  site_id?: string;
  target_pct?: number;
  /** Scheduled reports: the period that ends at the run time. */
  period?: string;
};

export type Requester = { type: 'user' | 'api_key' | 'schedule' | 'system'; id: string | null; label: string };

export type ReportRow = {
  id: string;
  tenant_id: string;
  kind: string;
  format: string;
  params: StoredParams;
  status: ReportStatus;
  error_code: string | null;
  error: string | null;
  requested_by: Requester | null;
  schedule_id: string | null;
  scheduled_for: Date | null;
  attempts: number;
  max_attempts: number;
  file_name: string | null;
  content_type: string | null;
  size: number | null;
  summary: Record<string, unknown> | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  email_to: string[];
  email_attempts: number;
  email_after: Date | null;
  emailed_at: Date | null;
  email_error: string | null;
};

export type NewReport = {
  id: string;
  tenant_id: string;
  kind: string;
  format: string;
  params: StoredParams;
  requested_by: Requester;
  schedule_id?: string;
  scheduled_for?: Date;
  email_to?: string[];
};

export type ReportFilter = {
  limit: number;
  offset: number;
  kind?: string | undefined;
  status?: string | undefined;
  schedule_id?: string | undefined;
  /** Where the previous page ended: its last created_at (as text, to the microsecond) and id. */
  after?: { k: string; id: string } | undefined;
  /** The total stops counting past this. */
  countCap: number;
};

// Every column but the file: lists and claims never carry the bytes.
const COLS = `id, tenant_id, kind, format, params, status, error_code, error, requested_by, schedule_id, scheduled_for,
  attempts, max_attempts, file_name, content_type, size, summary, created_at, started_at, finished_at, email_to,
  email_attempts, email_after, emailed_at, email_error`;
const RCOLS = COLS.split(',')
  .map((c) => `r.${c.trim()}`)
  .join(', ');

const lease = (param: string) => `now() + make_interval(secs => ${param}::double precision / 1000)`;

const INSERT = `insert into reports (id, tenant_id, kind, format, params, requested_by, schedule_id, scheduled_for,
  email_to) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
const insertValues = (r: NewReport) => [
  r.id,
  r.tenant_id,
  r.kind,
  r.format,
  JSON.stringify(r.params),
  JSON.stringify(r.requested_by),
  r.schedule_id ?? null,
  r.scheduled_for ?? null,
  r.email_to ?? [],
];

export const reportsRepo = {
  async insert(db: Db, r: NewReport): Promise<ReportRow> {
    return (await db.query<ReportRow>(`${INSERT} returning ${COLS}`, insertValues(r))).rows[0]!;
  },

  /** A schedule run's report; undefined when that run already made one. */
  async insertScheduled(db: Db, r: NewReport): Promise<ReportRow | undefined> {
    const q = await db.query<ReportRow>(
      `${INSERT} on conflict (schedule_id, scheduled_for) do nothing returning ${COLS}`,
      insertValues(r),
    );
    return q.rows[0];
  },

  /**
   * Reports of the tenant waiting or rendering, counted under a per-tenant lock held to the end of the transaction,
   * so two requests at once cannot both take the last place in the queue.
   */
  async activeCount(db: Db, tenantId: string): Promise<number> {
    await db.query(`select pg_advisory_xact_lock(7243069, hashtext($1))`, [tenantId]);
    const r = await db.query<{ n: number }>(
      `select count(*)::int as n from reports where status in ('queued', 'running')`,
    );
    return r.rows[0]!.n;
  },

  /**
   * Newest first (created_at, then id), after the cursor or at the offset; rows carry `cursor_k`. The total is
   * counted apart and stops past `countCap` (a window count over every report was a scan per page).
   */
  async list(db: Db, f: ReportFilter): Promise<{ rows: Array<ReportRow & { cursor_k: string }>; total: number }> {
    const where = `($1::text is null or kind = $1) and ($2::text is null or status = $2)
          and ($3::uuid is null or schedule_id = $3)`;
    const args = [f.kind ?? null, f.status ?? null, f.schedule_id ?? null];
    return newestFirst<ReportRow>(db, { select: COLS, from: 'reports', where, args }, f);
  },

  async get(db: Db, id: string): Promise<ReportRow | undefined> {
    return (await db.query<ReportRow>(`select ${COLS} from reports where id = $1`, [id])).rows[0];
  },

  /** The sealed file with the row. */
  async withFile(db: Db, id: string): Promise<(ReportRow & { file: Buffer | null }) | undefined> {
    return (
      await db.query<ReportRow & { file: Buffer | null }>(`select ${COLS}, file from reports where id = $1`, [id])
    ).rows[0];
  },

  async delete(db: Db, id: string): Promise<ReportRow | undefined> {
    return (await db.query<ReportRow>(`delete from reports where id = $1 returning ${COLS}`, [id])).rows[0];
  },

  // ----- the runner (system role: across tenants)

  /** Reports whose worker died `max_attempts` times while rendering them fail instead of being claimed again. */
  async failAbandoned(db: Db): Promise<ReportRow[]> {
    const r = await db.query<ReportRow>(
      `update reports set status = 'failed', finished_at = now(), claimed_by = null, claimed_until = null,
              error_code = 'report_interrupted', error = 'the worker rendering this report stopped '
                || attempts || ' times; it is not tried again'
        where status = 'running' and claimed_until < now() and attempts >= max_attempts
       returning ${COLS}`,
    );
    return r.rows;
  },

  /** Claims up to `n` reports: queued ones, oldest first, and running ones whose holder's lease ran out. */
  async claim(db: Db, owner: string, n: number, leaseMs: number): Promise<ReportRow[]> {
    const r = await db.query<ReportRow>(
      // PostgreSQL refuses FOR UPDATE on the arms of a UNION: each arm locks in its own CTE.
      `with queued as (select id from reports where status = 'queued' order by created_at limit $2
                        for update skip locked),
            lapsed as (select id from reports where status = 'running' and claimed_until < now()
                         and attempts < max_attempts limit $2 for update skip locked),
            picked as (select id from queued union all select id from lapsed limit $2)
       update reports r set status = 'running', claimed_by = $1, claimed_until = ${lease('$3')},
              attempts = r.attempts + 1, started_at = coalesce(r.started_at, now())
        where r.id in (select id from picked)
       returning ${RCOLS}`,
      [owner, n, leaseMs],
    );
    return r.rows;
  },

  /** Extends the claim; false when another worker holds the report now (or it was deleted). */
  async renew(db: Db, id: string, owner: string, leaseMs: number): Promise<boolean> {
    const r = await db.query(
      `update reports set claimed_until = ${lease('$3')} where id = $1 and claimed_by = $2 and status = 'running'`,
      [id, owner, leaseMs],
    );
    return (r.rowCount ?? 0) > 0;
  },

  async finish(
    db: Db,
    id: string,
    owner: string,
    f: { file: Buffer; file_name: string; content_type: string; size: number; summary: Record<string, unknown> },
  ): Promise<ReportRow | undefined> {
    const r = await db.query<ReportRow>(
      `update reports set status = 'done', finished_at = now(), claimed_by = null, claimed_until = null,
              file = $3, file_name = $4, content_type = $5, size = $6, summary = $7, error_code = null, error = null,
              email_after = case when cardinality(email_to) > 0 then now() end
        where id = $1 and claimed_by = $2 and status = 'running'
       returning ${COLS}`,
      [id, owner, f.file, f.file_name, f.content_type, f.size, JSON.stringify(f.summary)],
    );
    return r.rows[0];
  },

  async fail(db: Db, id: string, owner: string, e: { code: string; detail: string }): Promise<ReportRow | undefined> {
    const r = await db.query<ReportRow>(
      `update reports set status = 'failed', finished_at = now(), claimed_by = null, claimed_until = null,
              error_code = $3, error = $4
        where id = $1 and claimed_by = $2 and status = 'running'
       returning ${COLS}`,
      [id, owner, e.code, e.detail],
    );
    return r.rows[0];
  },

  // ----- the email sender (system role)

  /** Claims up to `n` done reports whose email is due and not held by a live claim. */
  async claimEmails(db: Db, owner: string, n: number, leaseMs: number): Promise<ReportRow[]> {
    const r = await db.query<ReportRow>(
      `with due as (select id from reports
                     where email_after <= now() and emailed_at is null and status = 'done'
                       and (email_claimed_until is null or email_claimed_until < now())
                     order by email_after limit $2 for update skip locked)
       update reports r set email_claimed_by = $1, email_claimed_until = ${lease('$3')},
              email_attempts = r.email_attempts + 1
        where r.id in (select id from due)
       returning ${RCOLS}`,
      [owner, n, leaseMs],
    );
    return r.rows;
  },

  async sealedFile(db: Db, id: string): Promise<Buffer | null> {
    return (
      (await db.query<{ file: Buffer | null }>('select file from reports where id = $1', [id])).rows[0]?.file ?? null
    );
  },

  /** The SMTP server took the mail. False when the claim was lost (another sender may have sent it too). */
  async emailSent(db: Db, id: string, owner: string): Promise<ReportRow | undefined> {
    const r = await db.query<ReportRow>(
      `update reports set emailed_at = now(), email_after = null, email_claimed_by = null, email_claimed_until = null,
              email_error = null
        where id = $1 and email_claimed_by = $2 and emailed_at is null
       returning ${COLS}`,
      [id, owner],
    );
    return r.rows[0];
  },

  /** A failed try: again after `retryInMs`, or never (null). */
  async emailFailed(
    db: Db,
    id: string,
    owner: string,
    error: string,
    retryInMs: number | null,
  ): Promise<ReportRow | undefined> {
    const r = await db.query<ReportRow>(
      `update reports set email_error = $3, email_claimed_by = null, email_claimed_until = null,
              email_after = case when $4::double precision is null then null else ${lease('$4')} end
        where id = $1 and email_claimed_by = $2 and emailed_at is null
       returning ${COLS}`,
      [id, owner, error, retryInMs],
    );
    return r.rows[0];
  },

  // ----- retention (system role)

  /** Deletes reports asked for more than `days` ago; returns how many. */
  async deleteOlderThan(db: Db, days: number): Promise<number> {
    const r = await db.query(`delete from reports where created_at < now() - make_interval(days => $1)`, [days]);
    return r.rowCount ?? 0;
  },
};

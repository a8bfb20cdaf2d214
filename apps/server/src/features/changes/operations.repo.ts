import type { Db } from '../../platform/db/tx.js';

// change_operations: one row per change TOD makes to a router (migration 045). Tenant reads and writes run under
// RLS (app pool); the worker claims due operations across tenants with the system pool, SKIP LOCKED, under a lease.

export const operationStatuses = [
  'pending',
  'backing_up',
  'arming',
  'applying',
  'verifying',
  'awaiting_confirmation',
  'confirmed',
  'reverting',
  'reverted',
  'failed',
] as const;
export type OperationStatus = (typeof operationStatuses)[number];
export const FINAL: ReadonlySet<OperationStatus> = new Set(['confirmed', 'reverted', 'failed']);
export type Mode = 'safe' | 'test' | 'standard';
export type Strategy = 'safe_mode' | 'watchdog' | 'none';
export type Step = { status: OperationStatus; at: string; note?: string };

export type OperationRow = {
  id: string;
  tenant_id: string;
  device_id: string;
  kind: string;
  mode: Mode;
  status: OperationStatus;
  strategy: Strategy | null;
  summary: string;
  request: Record<string, unknown>;
  commands_sealed: Buffer | null;
  commands_display: unknown[];
  command_count: number;
  applied_count: number;
  confirm_within_seconds: number | null;
  deadline: Date | null;
  device_deadline: Date | null;
  pre_version_id: string | null;
  pre_sha256: string | null;
  post_sha256: string | null;
  target_sha256: string | null;
  revert_reason: string | null;
  reverted_verified: boolean | null;
  confirm_requested: boolean;
  revert_requested: boolean;
  steps: Step[];
  error_code: string | null;
  error_detail: string | null;
  error_command_index: number | null;
  error_property: string | null;
  /** The device's name (joined for display by byId and list). */
  device_name?: string | null;
  actor: { type: string; id: string | null; label: string } | null;
  round_trips: number;
  attempts: number;
  claimed_by: string | null;
  claimed_until: Date | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
};

export type NewOperation = Pick<
  OperationRow,
  'id' | 'tenant_id' | 'device_id' | 'kind' | 'mode' | 'summary' | 'actor'
> & {
  request: Record<string, unknown>;
  confirm_within_seconds: number | null;
};

/** Columns a transition may set (besides status and steps). */
export type Patch = Partial<
  Pick<
    OperationRow,
    | 'strategy'
    | 'summary'
    | 'commands_sealed'
    | 'commands_display'
    | 'command_count'
    | 'applied_count'
    | 'deadline'
    | 'device_deadline'
    | 'pre_version_id'
    | 'pre_sha256'
    | 'post_sha256'
    | 'target_sha256'
    | 'revert_reason'
    | 'reverted_verified'
    | 'error_code'
    | 'error_detail'
    | 'error_command_index'
    | 'error_property'
    | 'round_trips'
    | 'confirm_requested'
  >
>;

const OPEN = `status not in ('confirmed', 'reverted', 'failed')`;
const json = new Set(['commands_display']);

export const operationsRepo = {
  async insert(db: Db, o: NewOperation): Promise<OperationRow> {
    const r = await db.query<OperationRow>(
      `insert into change_operations (id, tenant_id, device_id, kind, mode, status, summary, request,
         confirm_within_seconds, actor, steps)
       values ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, jsonb_build_array(jsonb_build_object(
         'status', 'pending', 'at', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))))
       returning *`,
      [
        o.id,
        o.tenant_id,
        o.device_id,
        o.kind,
        o.mode,
        o.summary,
        JSON.stringify(o.request),
        o.confirm_within_seconds,
        o.actor ? JSON.stringify(o.actor) : null,
      ],
    );
    return r.rows[0] as OperationRow;
  },

  /** The device's unfinished operation, if any. */
  async openFor(db: Db, deviceId: string): Promise<OperationRow | undefined> {
    const r = await db.query<OperationRow>(`select * from change_operations where device_id = $1 and ${OPEN}`, [
      deviceId,
    ]);
    return r.rows[0];
  },

  async byId(db: Db, id: string): Promise<OperationRow | undefined> {
    const r = await db.query<OperationRow>(
      `select o.*, d.name as device_name from change_operations o left join devices d on d.id = o.device_id
        where o.id = $1`,
      [id],
    );
    return r.rows[0];
  },

  async byIds(db: Db, ids: readonly string[]): Promise<OperationRow[]> {
    const r = await db.query<OperationRow>('select * from change_operations where id = any($1::uuid[])', [ids]);
    return r.rows;
  },

  /**
   * Newest first, `limit` rows after the cursor (created_at and id of the last row shown: ties on created_at, as a
   * rollout's operations made in one transaction have, are broken by id). `before` is the older, time-only form.
   * Each row carries `cursor_k` (created_at as text, to the microsecond) for the next cursor.
   */
  async list(
    db: Db,
    f: {
      deviceId?: string;
      status?: OperationStatus;
      kind?: string;
      limit: number;
      before?: Date;
      after?: { k: string; id: string };
    },
  ): Promise<Array<OperationRow & { cursor_k: string }>> {
    const r = await db.query<OperationRow & { cursor_k: string }>(
      `select o.*, d.name as device_name, o.created_at::text as cursor_k
         from change_operations o left join devices d on d.id = o.device_id
        where ($1::uuid is null or o.device_id = $1) and ($2::text is null or o.status = $2)
          and ($3::text is null or o.kind = $3) and ($4::timestamptz is null or o.created_at < $4)
          and ($6::timestamptz is null or (o.created_at, o.id) < ($6::timestamptz, $7::uuid))
        order by o.created_at desc, o.id desc limit $5`,
      [
        f.deviceId ?? null,
        f.status ?? null,
        f.kind ?? null,
        f.before ?? null,
        f.limit,
        f.after?.k ?? null,
        f.after?.id ?? null,
      ],
    );
    return r.rows;
  },

  /** Moves to `status` (one more step), setting the patch's columns. Returns the row as it is now. */
  async transition(db: Db, id: string, status: OperationStatus, patch: Patch = {}, note?: string) {
    const cols = Object.keys(patch) as Array<keyof Patch>;
    const sets = cols.map((c, i) => `${c} = $${i + 5}${json.has(c) ? '::jsonb' : ''}`);
    const values = cols.map((c) => (json.has(c) ? JSON.stringify(patch[c]) : patch[c]));
    const step: Step = { status, at: new Date().toISOString(), ...(note ? { note } : {}) };
    const r = await db.query<OperationRow>(
      `update change_operations set status = $2, steps = steps || $3::jsonb, updated_at = now(),
              finished_at = case when $4 then now() else finished_at end
              ${sets.length ? `, ${sets.join(', ')}` : ''}
        where id = $1 returning *`,
      [id, status, JSON.stringify([step]), FINAL.has(status), ...values],
    );
    return r.rows[0] as OperationRow;
  },

  /** Sets columns without a new step (progress: applied_count, deadlines, round trips). */
  async update(db: Db, id: string, patch: Patch): Promise<OperationRow> {
    const cols = Object.keys(patch) as Array<keyof Patch>;
    const sets = cols.map((c, i) => `${c} = $${i + 2}${json.has(c) ? '::jsonb' : ''}`);
    const values = cols.map((c) => (json.has(c) ? JSON.stringify(patch[c]) : patch[c]));
    const r = await db.query<OperationRow>(
      `update change_operations set updated_at = now()${sets.length ? `, ${sets.join(', ')}` : ''}
        where id = $1 returning *`,
      [id, ...values],
    );
    return r.rows[0] as OperationRow;
  },

  /** The user's Keep or Revert; only while the operation is open. Returns the row, or undefined if it ended. */
  async request(db: Db, id: string, what: 'confirm' | 'revert'): Promise<OperationRow | undefined> {
    const r = await db.query<OperationRow>(
      `update change_operations set ${what}_requested = true, updated_at = now()
        where id = $1 and ${OPEN} and not confirm_requested and not revert_requested returning *`,
      [id],
    );
    return r.rows[0];
  },

  /** Open operations nobody holds (new, or their process died): claimed for `leaseMs`. System pool. */
  async claim(db: Db, owner: string, n: number, leaseMs: number): Promise<OperationRow[]> {
    const r = await db.query<OperationRow>(
      `update change_operations o set claimed_by = $1, attempts = attempts + 1,
              claimed_until = now() + make_interval(secs => $3::double precision / 1000)
        where id in (select id from change_operations
                      where ${OPEN} and (claimed_until is null or claimed_until < now())
                      order by created_at limit $2 for update skip locked)
        returning o.*`,
      [owner, n, leaseMs],
    );
    return r.rows;
  },

  /** Keeps the lease; false when another process took the operation (this one must stop touching it). */
  async renew(db: Db, id: string, owner: string, leaseMs: number): Promise<boolean> {
    const r = await db.query(
      `update change_operations set claimed_until = now() + make_interval(secs => $3::double precision / 1000)
        where id = $1 and claimed_by = $2`,
      [id, owner, leaseMs],
    );
    return (r.rowCount ?? 0) > 0;
  },

  /** Lets the operation go (to be claimed again after `afterMs`, e.g. when the device is unreachable). */
  async unclaim(db: Db, id: string, owner: string, afterMs: number): Promise<void> {
    await db.query(
      `update change_operations set claimed_by = null,
              claimed_until = now() + make_interval(secs => $3::double precision / 1000)
        where id = $1 and claimed_by = $2`,
      [id, owner, afterMs],
    );
  },
};

/** The newest change that was kept on the device (emergency rollback goes back to what it had before). */
export async function lastConfirmedChange(db: Db, deviceId: string): Promise<OperationRow | undefined> {
  const r = await db.query<OperationRow>(
    `select * from change_operations
      where device_id = $1 and status = 'confirmed' and command_count > 0 and pre_sha256 is not null
      order by finished_at desc limit 1`,
    [deviceId],
  );
  return r.rows[0];
}

import { newestFirst } from '../../platform/db/newest-first.js';
import type { Db } from '../../platform/db/tx.js';
import type { DeviceStatus, pauseReasons, RolloutOptions, RolloutStatus } from './rollouts.schema.js';
import { stopPassed } from './waves.js';

// rollouts and rollout_devices (migration 051). Tenant reads and writes run under RLS; the runner's claims scan
// every tenant with the system pool (FOR UPDATE SKIP LOCKED on the rollout row serialises claims of one rollout).

export type RolloutRow = {
  id: string;
  tenant_id: string;
  kind: string;
  name: string;
  status: RolloutStatus;
  pause_reason: (typeof pauseReasons)[number] | null;
  options: RolloutOptions;
  request: Record<string, unknown>;
  payload_sealed: Buffer | null;
  source_id: string | null;
  wave_count: number;
  device_count: number;
  scheduled_at: Date | null;
  actor: { type: string; id: string | null; label: string } | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

export type RolloutDeviceRow = {
  rollout_id: string;
  tenant_id: string;
  device_id: string;
  device_name: string;
  position: number;
  wave: number;
  status: DeviceStatus;
  operation_id: string | null;
  attempts: number;
  error_code: string | null;
  error_detail: string | null;
  output: string | null;
  state: Record<string, unknown> | null;
  claimed_by: string | null;
  claimed_until: Date | null;
  deadline: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  /** Joined for display: the change operation's status. */
  operation_status?: string | null;
};

/** What the API shows of a rollout's device. */
export type DeviceLine = Pick<
  RolloutDeviceRow,
  | 'device_id'
  | 'device_name'
  | 'position'
  | 'wave'
  | 'status'
  | 'operation_id'
  | 'attempts'
  | 'error_code'
  | 'error_detail'
  | 'started_at'
  | 'finished_at'
  | 'operation_status'
>;

export type Counts = Record<DeviceStatus, number>;
export const emptyCounts = (): Counts => ({ pending: 0, running: 0, done: 0, failed: 0, reverted: 0, skipped: 0 });

export type NewRollout = Pick<
  RolloutRow,
  | 'id'
  | 'tenant_id'
  | 'kind'
  | 'name'
  | 'status'
  | 'options'
  | 'request'
  | 'payload_sealed'
  | 'source_id'
  | 'wave_count'
  | 'device_count'
  | 'scheduled_at'
  | 'actor'
>;

export type Outcome = {
  status: 'done' | 'failed' | 'reverted' | 'skipped';
  error?: { code: string; message: string };
  output?: string;
};

const TERMINAL = `status in ('done', 'failed', 'reverted', 'skipped')`;

export const rolloutsRepo = {
  async insert(db: Db, r: NewRollout, devices: { id: string; name: string; wave: number }[]) {
    await db.query(
      `insert into rollouts (id, tenant_id, kind, name, status, options, request, payload_sealed, source_id,
         wave_count, device_count, scheduled_at, actor)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        r.id,
        r.tenant_id,
        r.kind,
        r.name,
        r.status,
        JSON.stringify(r.options),
        JSON.stringify(r.request),
        r.payload_sealed,
        r.source_id,
        r.wave_count,
        r.device_count,
        r.scheduled_at,
        r.actor ? JSON.stringify(r.actor) : null,
      ],
    );
    await db.query(
      `insert into rollout_devices (rollout_id, tenant_id, device_id, device_name, position, wave)
       select $1, $2, d.id, d.name, d.position, d.wave
         from json_to_recordset($3) as d(id uuid, name text, position int, wave int)`,
      [r.id, r.tenant_id, JSON.stringify(devices.map((d, position) => ({ ...d, position })))],
    );
  },

  async byId(db: Db, id: string): Promise<RolloutRow | undefined> {
    return (await db.query<RolloutRow>('select * from rollouts where id = $1', [id])).rows[0];
  },

  /**
   * Newest first (created_at, then id), `limit` rows after the cursor (`after`: the previous page's last created_at
   * as text, to the microsecond, and id) or at `offset`. Rows carry `cursor_k`. The total stops past `countCap`.
   */
  async list(
    db: Db,
    q: {
      limit: number;
      offset: number;
      kind?: string;
      status?: string;
      sourceId?: string;
      after?: { k: string; id: string };
      countCap: number;
    },
  ) {
    const where = `($1::text is null or kind = $1) and ($2::text is null or status = $2)
                   and ($3::uuid is null or source_id = $3)`;
    const args = [q.kind ?? null, q.status ?? null, q.sourceId ?? null];
    return newestFirst<RolloutRow>(db, { select: '*', from: 'rollouts', where, args }, q);
  },

  /** Devices per status of each rollout. */
  async counts(db: Db, ids: readonly string[]): Promise<Map<string, Counts>> {
    const r = await db.query<{ rollout_id: string; status: DeviceStatus; n: number }>(
      `select rollout_id, status, count(*)::int as n from rollout_devices
        where rollout_id = any($1::uuid[]) group by rollout_id, status`,
      [ids],
    );
    const out = new Map<string, Counts>();
    for (const row of r.rows) {
      const c = out.get(row.rollout_id) ?? emptyCounts();
      c[row.status] = row.n;
      out.set(row.rollout_id, c);
    }
    return out;
  },

  /** A rollout's devices with their operation's status (joined for display). */
  async devices(db: Db, rolloutId: string, status?: DeviceStatus): Promise<RolloutDeviceRow[]> {
    const r = await db.query<RolloutDeviceRow>(
      `select rd.*, o.status as operation_status
         from rollout_devices rd left join change_operations o on o.id = rd.operation_id
        where rd.rollout_id = $1 and ($2::text is null or rd.status = $2)
        order by rd.position`,
      [rolloutId, status ?? null],
    );
    return r.rows;
  },

  /**
   * The detail's page of a rollout's devices: in order from `afterPosition` on, at most `limit` (all without one),
   * with only what the API shows (a bulk command's output stays in the table).
   */
  async devicePage(
    db: Db,
    rolloutId: string,
    q: { status?: DeviceStatus | undefined; limit?: number | undefined; afterPosition?: number | undefined },
  ): Promise<DeviceLine[]> {
    const r = await db.query<DeviceLine>(
      `select rd.device_id, rd.device_name, rd.position, rd.wave, rd.status, rd.operation_id, rd.attempts,
              rd.error_code, rd.error_detail, rd.started_at, rd.finished_at, o.status as operation_status
         from rollout_devices rd left join change_operations o on o.id = rd.operation_id
        where rd.rollout_id = $1 and ($2::text is null or rd.status = $2) and ($4::int is null or rd.position > $4)
        order by rd.position limit $3`,
      [rolloutId, q.status ?? null, q.limit ?? null, q.afterPosition ?? null],
    );
    return r.rows;
  },

  /**
   * A rollout's devices counted per wave and status, and whether one of them awaits a test-mode confirmation: what
   * the detail's waves and counts need, without reading every device's row into the process.
   */
  async tally(db: Db, rolloutId: string) {
    const r = await db.query<{ wave: number; status: DeviceStatus; n: number; awaiting: boolean }>(
      `select wave, status, count(*)::int as n,
              bool_or(status = 'running' and exists (select 1 from change_operations o
                                                      where o.id = operation_id and o.status = 'awaiting_confirmation'))
                as awaiting
         from rollout_devices where rollout_id = $1 group by wave, status`,
      [rolloutId],
    );
    return r.rows;
  },

  /** Moves a rollout from one of `from` to `to`; undefined when it was in none of them. */
  async transition(
    db: Db,
    id: string,
    from: readonly RolloutStatus[],
    to: RolloutStatus,
    pauseReason: RolloutRow['pause_reason'] = null,
  ): Promise<RolloutRow | undefined> {
    const r = await db.query<RolloutRow>(
      `update rollouts set status = $3, pause_reason = $4,
              started_at = case when $3 = 'running' then coalesce(started_at, now()) else started_at end,
              finished_at = case when $3 in ('completed', 'cancelled') then now() else null end
        where id = $1 and status = any($2::text[]) returning *`,
      [id, from, to, pauseReason],
    );
    return r.rows[0];
  },

  /** Sets (or, with null, clears) the time after which no device starts. */
  async setStopAt(db: Db, id: string, stopAt: string | null): Promise<void> {
    await db.query(
      `update rollouts set options = case when $2::text is null then options - 'stop_at'
                                          else options || jsonb_build_object('stop_at', $2::text) end where id = $1`,
      [id, stopAt],
    );
  },

  async setMaxFailures(db: Db, id: string, max: number | null): Promise<void> {
    await db.query(
      `update rollouts set options = options || jsonb_build_object('max_failures', $2::int) where id = $1`,
      [id, max],
    );
  },

  /** A cancelled rollout still has devices running: it ends with the last of them. */
  async unfinish(db: Db, id: string): Promise<void> {
    await db.query('update rollouts set finished_at = null where id = $1', [id]);
  },

  /** Cancel: devices not started are skipped. */
  async skipPending(db: Db, id: string, code: string, message: string): Promise<string[]> {
    const r = await db.query<{ device_id: string }>(
      `update rollout_devices set status = 'skipped', error_code = $2, error_detail = $3, finished_at = now()
        where rollout_id = $1 and status = 'pending' returning device_id`,
      [id, code, message],
    );
    return r.rows.map((x) => x.device_id);
  },

  /** Retry: failed and reverted devices start again (a new operation each). */
  async requeueFailed(db: Db, id: string): Promise<string[]> {
    const r = await db.query<{ device_id: string }>(
      `update rollout_devices set status = 'pending', operation_id = null, error_code = null, error_detail = null,
              output = null, state = null, deadline = null, started_at = null, finished_at = null
        where rollout_id = $1 and status in ('failed', 'reverted') returning device_id`,
      [id],
    );
    return r.rows.map((x) => x.device_id);
  },

  // ---- the runner (system pool) ----

  /** Rollouts that may have devices to start, or devices whose process died. */
  async due(db: Db, limit: number): Promise<string[]> {
    const r = await db.query<{ id: string }>(
      `(select id from rollouts where status in ('scheduled', 'running') and coalesce(scheduled_at, created_at) <= now()
         order by created_at limit $1)
       union
       (select distinct rollout_id from rollout_devices
         where status = 'running' and claimed_until < now() limit $1)`,
      [limit],
    );
    return r.rows.map((x) => x.id);
  },

  /**
   * Claims up to `max` devices of one rollout for `owner`: first those whose process died (lease lapsed), then,
   * while the rollout runs, pending devices of its current wave within its concurrency (counted across workers).
   * Call inside a transaction: the rollout row is locked (SKIP LOCKED: another worker claiming it now wins).
   */
  async claim(
    db: Db,
    id: string,
    owner: string,
    max: number,
    leaseMs: number,
  ): Promise<{ rollout: RolloutRow; devices: RolloutDeviceRow[]; started: boolean; closed: boolean } | undefined> {
    const locked = await db.query<RolloutRow>('select * from rollouts where id = $1 for update skip locked', [id]);
    let rollout = locked.rows[0];
    if (!rollout || max <= 0) return undefined;
    let started = false;
    if (rollout.status === 'scheduled') {
      if ((rollout.scheduled_at ?? rollout.created_at) > new Date()) return undefined;
      rollout = (await rolloutsRepo.transition(db, id, ['scheduled'], 'running')) as RolloutRow;
      started = true;
    }
    // Past its stop time (a maintenance window's end) a running rollout starts no more devices: it pauses, and
    // what is running finishes.
    let closed = false;
    if (rollout.status === 'running' && stopPassed(rollout.options.stop_at)) {
      const paused = await rolloutsRepo.transition(db, id, ['running'], 'paused', 'window_closed');
      if (paused) {
        rollout = paused;
        closed = true;
      }
    }
    const state = await db.query<{ wave: number | null; active: number }>(
      `select min(wave) filter (where status in ('pending', 'running')) as wave,
              count(*) filter (where status = 'running' and claimed_until >= now())::int as active
         from rollout_devices where rollout_id = $1`,
      [id],
    );
    const wave = state.rows[0]?.wave ?? null;
    const take = (where: string, limit: number) =>
      db.query<RolloutDeviceRow>(
        `with picked as (
           select device_id from rollout_devices where rollout_id = $1 and ${where}
            order by position limit $2 for update skip locked)
         update rollout_devices rd
            set claimed_by = $3, claimed_until = now() + make_interval(secs => $4),
                attempts = rd.attempts + case when rd.status = 'pending' then 1 else 0 end,
                started_at = case when rd.status = 'pending' then now() else rd.started_at end,
                deadline = case when rd.status = 'pending' then now() + make_interval(secs => $5) else rd.deadline end,
                status = 'running'
           from picked where rd.rollout_id = $1 and rd.device_id = picked.device_id
         returning rd.*`,
        [id, limit, owner, leaseMs / 1000, rollout.options.device_timeout_seconds],
      );
    // Devices whose process died come first: their changes may be half-way and must be settled.
    const orphans = (await take(`status = 'running' and claimed_until < now()`, max)).rows;
    const active = (state.rows[0]?.active ?? 0) + orphans.length;
    const free = Math.min(max - orphans.length, rollout.options.concurrency - active);
    const fresh =
      rollout.status === 'running' && wave !== null && free > 0
        ? (await take(`status = 'pending' and wave = ${Number(wave)}`, free)).rows
        : [];
    const devices = [...orphans, ...fresh];
    return { rollout, devices, started, closed };
  },

  async renew(db: Db, owner: string, leaseMs: number): Promise<void> {
    await db.query(
      `update rollout_devices set claimed_until = now() + make_interval(secs => $2)
        where claimed_by = $1 and status = 'running'`,
      [owner, leaseMs / 1000],
    );
  },

  /** Lets go of a device without finishing it (shutdown): the next claim takes it over at once. */
  async release(db: Db, rolloutId: string, deviceId: string, owner: string): Promise<void> {
    await db.query(
      `update rollout_devices set claimed_until = now() - interval '1 second'
        where rollout_id = $1 and device_id = $2 and claimed_by = $3 and status = 'running'`,
      [rolloutId, deviceId, owner],
    );
  },

  async setOperation(db: Db, rolloutId: string, deviceId: string, owner: string, operationId: string) {
    const r = await db.query(
      `update rollout_devices set operation_id = $4
        where rollout_id = $1 and device_id = $2 and claimed_by = $3 and status = 'running'`,
      [rolloutId, deviceId, owner, operationId],
    );
    return r.rowCount === 1;
  },

  async setState(db: Db, rolloutId: string, deviceId: string, owner: string, state: Record<string, unknown>) {
    const r = await db.query(
      `update rollout_devices set state = $4
        where rollout_id = $1 and device_id = $2 and claimed_by = $3 and status = 'running'`,
      [rolloutId, deviceId, owner, JSON.stringify(state)],
    );
    return r.rowCount === 1;
  },

  /** Serialises settling a rollout: two devices ending at once must not both see the other still open. */
  async lock(db: Db, id: string): Promise<void> {
    await db.query('select 1 from rollouts where id = $1 for update', [id]);
  },

  /** A device's step ended; only while `owner` still holds it. */
  async finish(
    db: Db,
    rolloutId: string,
    deviceId: string,
    owner: string,
    o: Outcome,
  ): Promise<RolloutDeviceRow | undefined> {
    const r = await db.query<RolloutDeviceRow>(
      `update rollout_devices set status = $4, error_code = $5, error_detail = $6, output = $7, finished_at = now(),
              claimed_by = null, claimed_until = null
        where rollout_id = $1 and device_id = $2 and claimed_by = $3 and status = 'running'
        returning *`,
      [rolloutId, deviceId, owner, o.status, o.error?.code ?? null, o.error?.message ?? null, o.output ?? null],
    );
    return r.rows[0];
  },

  /** Devices that ended as `done` (the backup after a rollout). */
  async doneDevices(db: Db, rolloutId: string): Promise<string[]> {
    const r = await db.query<{ device_id: string }>(
      `select device_id from rollout_devices where rollout_id = $1 and status = 'done' order by position`,
      [rolloutId],
    );
    return r.rows.map((x) => x.device_id);
  },

  async allDevices(db: Db, rolloutId: string): Promise<string[]> {
    const r = await db.query<{ device_id: string }>(
      'select device_id from rollout_devices where rollout_id = $1 order by position',
      [rolloutId],
    );
    return r.rows.map((x) => x.device_id);
  },

  async open(db: Db, rolloutId: string): Promise<number> {
    const r = await db.query<{ n: number }>(
      `select count(*)::int as n from rollout_devices where rollout_id = $1 and not (${TERMINAL})`,
      [rolloutId],
    );
    return r.rows[0]?.n ?? 0;
  },
};

import type { Db } from '../../platform/db/tx.js';

// config_device_state: per device, the latest outcome of a backup and when its schedule fires next.

export type DeviceStateRow = {
  device_id: string;
  next_run_at: Date | null;
  schedule_key: string | null;
  latest_version_id: string | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_error_code: string | null;
  last_error_detail: string | null;
  last_method: string | null;
  method_note: string | null;
};

export const stateRepo = {
  async get(db: Db, deviceId: string): Promise<DeviceStateRow | undefined> {
    const r = await db.query<DeviceStateRow>('select * from config_device_state where device_id = $1', [deviceId]);
    return r.rows[0];
  },

  async succeeded(
    db: Db,
    s: { tenant_id: string; device_id: string; version_id: string; method: string; note: string | null },
  ): Promise<void> {
    await db.query(
      `insert into config_device_state (device_id, tenant_id, latest_version_id, last_success_at, last_method, method_note)
       values ($1, $2, $3, now(), $4, $5)
       on conflict (device_id) do update set latest_version_id = excluded.latest_version_id, last_success_at = now(),
         last_method = excluded.last_method, method_note = excluded.method_note, updated_at = now()`,
      [s.device_id, s.tenant_id, s.version_id, s.method, s.note],
    );
  },

  async failed(db: Db, s: { tenant_id: string; device_id: string; code: string; detail: string }): Promise<void> {
    await db.query(
      `insert into config_device_state (device_id, tenant_id, last_failure_at, last_error_code, last_error_detail)
       values ($1, $2, now(), $3, $4)
       on conflict (device_id) do update set last_failure_at = now(), last_error_code = excluded.last_error_code,
         last_error_detail = excluded.last_error_detail, updated_at = now()`,
      [s.device_id, s.tenant_id, s.code, s.detail],
    );
  },

  /** Forget the computed next run of these devices (or the whole tenant's): the scheduler computes it again. */
  async resetSchedule(db: Db, deviceId: string | null): Promise<void> {
    await db.query(
      `update config_device_state set next_run_at = null, schedule_key = null
        where ($1::uuid is null or device_id = $1)`,
      [deviceId],
    );
  },

  /** Fleet view: every device of the tenant with its backup state, failures first. */
  async fleet(db: Db, o: { limit: number; offset: number; failing: boolean | undefined }) {
    const r = await db.query(
      `select d.id as device_id, d.name, d.host, s.latest_version_id, v.sha256 as latest_sha256,
              v.created_at as latest_created_at, v.unchanged_until as latest_unchanged_until, s.last_success_at,
              s.last_failure_at, s.last_error_code, s.last_error_detail, s.last_method, s.method_note, s.next_run_at,
              (s.last_failure_at is not null and (s.last_success_at is null or s.last_failure_at > s.last_success_at)) as failing,
              count(*) over () as total
         from devices d
         left join config_device_state s on s.device_id = d.id
         left join config_versions v on v.id = s.latest_version_id
        where ($3::boolean is null or
               (s.last_failure_at is not null and (s.last_success_at is null or s.last_failure_at > s.last_success_at)) = $3)
        order by failing desc, s.last_success_at asc nulls first, d.name, d.id
        limit $1 offset $2`,
      [o.limit, o.offset, o.failing ?? null],
    );
    return r.rows;
  },
};

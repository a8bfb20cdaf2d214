import type { Db } from '../../platform/db/tx.js';
import type { Cursor } from '../../platform/http/cursor.js';
import { foreignCursor } from '../../platform/http/cursor.js';

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

/** The fleet view's sort key from its cursor (failing, last success as text, name), or a 422. */
export function fleetKey(c: Cursor) {
  try {
    const [failing, success, name] = JSON.parse(c.k) as unknown[];
    const time = /^(-infinity|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d){0,2})$/;
    if (typeof failing === 'boolean' && typeof success === 'string' && time.test(success) && typeof name === 'string')
      return { failing, success, name, id: c.id };
  } catch {}
  throw foreignCursor();
}

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

  /**
   * Fleet view: every device of the tenant with its backup state, failures first, then the longest without a
   * success (never first), then by name. The order is one ascending key, (not failing, last success or -infinity,
   * name, id), so a page starts after the cursor's key by a row comparison (`after`: the previous page's last key)
   * instead of skipping rows; `offset` still works and costs what it skips. No index covers a key spanning two
   * tables: each page is a top-N sort of the organisation's devices. The total stops counting past `countCap`.
   */
  async fleet(
    db: Db,
    o: {
      limit: number;
      offset: number;
      failing: boolean | undefined;
      after?: { failing: boolean; success: string; name: string; id: string } | undefined;
      countCap: number;
    },
  ) {
    const failing = `coalesce(s.last_failure_at is not null and (s.last_success_at is null or s.last_failure_at > s.last_success_at), false)`;
    // Sorted by the columns (a row value as the sort key would compare records, several times slower).
    const key = `not ${failing}, coalesce(s.last_success_at, '-infinity'), d.name, d.id`;
    const filter = (p: string) => `(${p}::boolean is null or ${failing} = ${p})`;
    const total = `(select count(*)::int from (
         select 1 from devices d left join config_device_state s on s.device_id = d.id where ${filter('$3')}
          limit ${o.countCap + 1}) c)`;
    // Two phases: the page's devices by the sort over devices and their states only, then the latest version of
    // those rows (joined before the sort, every version of the organisation was read).
    const r = await db.query(
      `with page as materialized (
         select d.id, ${failing} as failing, s.last_success_at, d.name
           from devices d left join config_device_state s on s.device_id = d.id
          where ${filter('$3')}
            and ($4::boolean is null or (${key}) > (not $4::boolean, $5::timestamptz, $6::text, $7::uuid))
          order by ${key} limit $1 offset $2)
       select p.id as device_id, p.name, d.host, s.latest_version_id, v.sha256 as latest_sha256,
              v.created_at as latest_created_at, v.unchanged_until as latest_unchanged_until, s.last_success_at,
              s.last_failure_at, s.last_error_code, s.last_error_detail, s.last_method, s.method_note, s.next_run_at,
              p.failing, coalesce(p.last_success_at, '-infinity')::text as cursor_success, ${total} as total
         from page p join devices d on d.id = p.id
         left join config_device_state s on s.device_id = p.id
         left join config_versions v on v.id = s.latest_version_id
        order by not p.failing, coalesce(p.last_success_at, '-infinity'), p.name, p.id`,
      [
        o.limit,
        o.after ? 0 : o.offset,
        o.failing ?? null,
        o.after?.failing ?? null,
        o.after?.success ?? null,
        o.after?.name ?? null,
        o.after?.id ?? null,
      ],
    );
    // An empty page (past the end) still answers the total.
    const n = r.rows.length
      ? (r.rows[0].total as number)
      : (await db.query<{ n: number }>(`select ${total.replaceAll('$3', '$1')} as n`, [o.failing ?? null])).rows[0]!.n;
    return { rows: r.rows, total: n };
  },
};

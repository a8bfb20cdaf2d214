import type { Db } from '../../platform/db/tx.js';
import type { Inventory, UpdateCheck } from './collect.js';

// firmware_devices (migration 055): the only SQL of the firmware feature. Tenant reads and writes run under RLS;
// the schedule and the worker's claims scan every tenant with the system pool. Listing joins `devices` for names
// and for what the poller already knows (version, architecture, RouterBOOT) before a router's first check.

export type FirmwareRow = {
  device_id: string;
  name: string;
  status: string;
  installed_version: string | null;
  architecture: string | null;
  board_name: string | null;
  channel: string | null;
  packages: Array<{ name: string; version: string; disabled: boolean }> | null;
  routerboard: boolean | null;
  current_firmware: string | null;
  upgrade_firmware: string | null;
  latest_version: string | null;
  update_status: string | null;
  checked_at: Date | null;
  check_error_code: string | null;
  check_error: string | null;
  check_failed_at: Date | null;
  check_due: boolean;
};

/** `due` is the due mark as PostgreSQL prints it (microseconds kept: a JS Date would lose them). */
export type Claimed = { tenant_id: string; device_id: string; due: string };

const inventoryColumns = (inv: Inventory) => [
  inv.version,
  inv.architecture,
  inv.boardName,
  inv.channel,
  JSON.stringify(inv.packages),
  inv.routerboard,
  inv.currentFirmware,
  inv.upgradeFirmware,
];

export const firmwareRepo = {
  /** The schedule: every enabled device of every organisation is due now (system pool). */
  async markAllDue(db: Db): Promise<number> {
    const r = await db.query(
      `insert into firmware_devices (device_id, tenant_id, check_due_at)
       select id, tenant_id, now() from devices where not disabled
       on conflict (device_id) do update set check_due_at = now()`,
    );
    return r.rowCount ?? 0;
  },

  /** A request: this organisation's enabled devices (or those named) are due now; their ids. */
  async markDue(db: Db, deviceIds?: readonly string[]): Promise<string[]> {
    const r = await db.query<{ device_id: string }>(
      `insert into firmware_devices (device_id, tenant_id, check_due_at)
       select id, tenant_id, now() from devices where not disabled and ($1::uuid[] is null or id = any($1))
       on conflict (device_id) do update set check_due_at = now()
       returning device_id`,
      [deviceIds ?? null],
    );
    return r.rows.map((x) => x.device_id);
  },

  /**
   * Claims up to `limit` due checks no live claim holds (FOR UPDATE SKIP LOCKED: two workers never take the same
   * one). With `deviceIds`, only those (a request's own devices).
   */
  async claimDue(db: Db, owner: string, limit: number, leaseMs: number, deviceIds?: readonly string[]) {
    const r = await db.query<Claimed>(
      `with picked as (
         select device_id from firmware_devices
          where check_due_at is not null and check_due_at <= now()
            and (check_claimed_until is null or check_claimed_until < now())
            and ($4::uuid[] is null or device_id = any($4))
          order by check_due_at limit $2 for update skip locked)
       update firmware_devices f set check_claimed_by = $1,
              check_claimed_until = now() + make_interval(secs => $3::double precision / 1000)
         from picked where f.device_id = picked.device_id
       returning f.tenant_id, f.device_id, f.check_due_at::text as due`,
      [owner, limit, leaseMs, deviceIds ?? null],
    );
    return r.rows;
  },

  /** A check's result. The due mark is cleared unless a newer one came meanwhile; false when the claim was lost. */
  async storeCheck(db: Db, c: Claimed, owner: string, inv: Inventory, check: UpdateCheck): Promise<boolean> {
    const r = await db.query(
      `update firmware_devices set installed_version = $4, architecture = $5, board_name = $6, channel = $7,
              packages = $8::jsonb, routerboard = $9, current_firmware = $10, upgrade_firmware = $11,
              latest_version = coalesce($12, latest_version), update_status = $13, checked_at = now(),
              check_error_code = null, check_error = null, check_failed_at = null,
              check_due_at = case when check_due_at = $3::timestamptz then null else check_due_at end,
              check_claimed_by = null, check_claimed_until = null
        where device_id = $1 and check_claimed_by = $2`,
      [c.device_id, owner, c.due, ...inventoryColumns(inv), check.latestVersion, check.status],
    );
    return (r.rowCount ?? 0) > 0;
  },

  /** A check that could not read the router: the reason is kept, the last good reading too. */
  async storeFailure(db: Db, c: Claimed, owner: string, code: string, message: string): Promise<boolean> {
    const r = await db.query(
      `update firmware_devices set check_error_code = $4, check_error = $5, check_failed_at = now(),
              check_due_at = case when check_due_at = $3::timestamptz then null else check_due_at end,
              check_claimed_by = null, check_claimed_until = null
        where device_id = $1 and check_claimed_by = $2`,
      [c.device_id, owner, c.due, code, message.slice(0, 500)],
    );
    return (r.rowCount ?? 0) > 0;
  },

  /** What an upgrade found on the router when it verified it (no check of the channel). */
  async storeInventory(db: Db, tenantId: string, deviceId: string, inv: Inventory): Promise<void> {
    await db.query(
      `insert into firmware_devices (device_id, tenant_id, installed_version, architecture, board_name, channel,
                                     packages, routerboard, current_firmware, upgrade_firmware, checked_at)
       values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, now())
       on conflict (device_id) do update set installed_version = excluded.installed_version,
              architecture = excluded.architecture, board_name = excluded.board_name, channel = excluded.channel,
              packages = excluded.packages, routerboard = excluded.routerboard,
              current_firmware = excluded.current_firmware, upgrade_firmware = excluded.upgrade_firmware,
              update_status = null, checked_at = now()`,
      [deviceId, tenantId, ...inventoryColumns(inv)],
    );
  },

  /** How many of these devices still wait for their check. */
  async stillDue(db: Db, deviceIds: readonly string[]): Promise<number> {
    const r = await db.query<{ n: number }>(
      'select count(*)::int as n from firmware_devices where device_id = any($1) and check_due_at is not null',
      [deviceIds],
    );
    return r.rows[0]?.n ?? 0;
  },

  /** The inventory page: every device, with the poller's readings until the first check. */
  async list(db: Db, p: { limit: number; offset: number }): Promise<{ rows: FirmwareRow[]; total: number }> {
    const r = await db.query<FirmwareRow & { total: number }>(
      `select d.id as device_id, d.name, d.status,
              coalesce(f.installed_version, d.version) as installed_version,
              coalesce(f.architecture, d.architecture) as architecture,
              coalesce(f.board_name, d.board_name) as board_name,
              f.channel, f.packages, f.routerboard,
              coalesce(f.current_firmware, d.firmware) as current_firmware,
              coalesce(f.upgrade_firmware, rb.data->>'upgrade-firmware') as upgrade_firmware,
              coalesce(f.latest_version, d.latest_version) as latest_version,
              f.update_status, f.checked_at, f.check_error_code, f.check_error, f.check_failed_at,
              (f.check_due_at is not null) as check_due,
              count(*) over ()::int as total
         from devices d
         left join firmware_devices f on f.device_id = d.id
         left join device_facts rb on rb.device_id = d.id and rb.kind = 'routerboard'
        order by lower(d.name), d.id
        limit $1 offset $2`,
      [p.limit, p.offset],
    );
    return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
  },

  /** Every (channel, latest version) the devices reported. */
  async reportedLatest(db: Db): Promise<Array<{ channel: string; latest_version: string; devices: number }>> {
    const r = await db.query<{ channel: string; latest_version: string; devices: number }>(
      `select channel, latest_version, count(*)::int as devices from firmware_devices
        where channel is not null and latest_version is not null group by channel, latest_version`,
    );
    return r.rows;
  },

  /** What each device runs, as far as TOD knows (the last check, else the poller). */
  async versions(db: Db, deviceIds: readonly string[]): Promise<Map<string, string | null>> {
    const r = await db.query<{ id: string; version: string | null }>(
      `select d.id, coalesce(f.installed_version, d.version) as version
         from devices d left join firmware_devices f on f.device_id = d.id where d.id = any($1)`,
      [deviceIds],
    );
    return new Map(r.rows.map((x) => [x.id, x.version]));
  },
};

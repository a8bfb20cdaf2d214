import type { Db } from '../../platform/db/tx.js';
import { type Membership, type Scope, scopeCovers } from '../catalog/scope.js';
import { type Occurrence, occurrenceAt, type Recurrence, type WindowTiming } from './occurrences.js';
import type { Timing } from './validate.js';

// The only SQL of maintenance_windows. Every function runs under the caller's tenant (RLS); on the system pool
// (BYPASSRLS) the windows of every tenant come back, each with its tenantId.

type Row = {
  id: string;
  tenant_id: string;
  name: string;
  starts_at: Date;
  ends_at: Date;
  timezone: string;
  recurrence: Recurrence | null;
  scopes: Scope[];
  series_end: Date | null;
  created_at: Date;
  updated_at: Date;
};

export type MaintenanceWindow = WindowTiming & {
  id: string;
  tenantId: string;
  name: string;
  scopes: Scope[];
  seriesEnd: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/** A window open at the instant asked about, with the occurrence that makes it so. */
export type ActiveWindow = MaintenanceWindow & { occurrence: Occurrence };

export type WindowWrite = Timing & { name: string; scopes: Scope[] };

const COLUMNS = `id, tenant_id, name, starts_at, ends_at, timezone, recurrence, scopes, series_end, created_at, updated_at`;

const fromRow = (r: Row): MaintenanceWindow => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  timezone: r.timezone,
  recurrence: r.recurrence,
  scopes: r.scopes,
  seriesEnd: r.series_end,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const values = (w: WindowWrite) => [
  w.name,
  w.startsAt,
  w.endsAt,
  w.timezone,
  w.recurrence === null ? null : JSON.stringify(w.recurrence),
  JSON.stringify(w.scopes),
  w.seriesEnd,
];

export const maintenanceRepo = {
  async list(db: Db, q: { limit: number; offset: number; search?: string }) {
    const r = await db.query<Row & { total: string }>(
      `select ${COLUMNS}, count(*) over () as total from maintenance_windows
        where ($3::text is null or name ilike '%' || $3 || '%')
        order by starts_at desc, id limit $1 offset $2`,
      [q.limit, q.offset, q.search?.replace(/[%_\\]/g, '\\$&') ?? null],
    );
    return { rows: r.rows.map(fromRow), total: Number(r.rows[0]?.total ?? 0) };
  },

  async get(db: Db, id: string): Promise<MaintenanceWindow | undefined> {
    const r = await db.query<Row>(`select ${COLUMNS} from maintenance_windows where id = $1`, [id]);
    return r.rows[0] && fromRow(r.rows[0]);
  },

  async insert(db: Db, tenantId: string, w: WindowWrite): Promise<MaintenanceWindow> {
    const r = await db.query<Row>(
      `insert into maintenance_windows (tenant_id, name, starts_at, ends_at, timezone, recurrence, scopes, series_end)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
      [tenantId, ...values(w)],
    );
    return fromRow(r.rows[0]!);
  },

  async update(db: Db, id: string, w: WindowWrite): Promise<MaintenanceWindow | undefined> {
    const r = await db.query<Row>(
      `update maintenance_windows
          set name = $2, starts_at = $3, ends_at = $4, timezone = $5, recurrence = $6, scopes = $7, series_end = $8
        where id = $1 returning ${COLUMNS}`,
      [id, ...values(w)],
    );
    return r.rows[0] && fromRow(r.rows[0]);
  },

  /** Locks the row for a read-modify-write (PATCH merges into what is stored). */
  async getForUpdate(db: Db, id: string): Promise<MaintenanceWindow | undefined> {
    const r = await db.query<Row>(`select ${COLUMNS} from maintenance_windows where id = $1 for update`, [id]);
    return r.rows[0] && fromRow(r.rows[0]);
  },

  async delete(db: Db, id: string): Promise<MaintenanceWindow | undefined> {
    const r = await db.query<Row>(`delete from maintenance_windows where id = $1 returning ${COLUMNS}`, [id]);
    return r.rows[0] && fromRow(r.rows[0]);
  },

  /**
   * The windows open at `at`. SQL keeps those whose series spans `at`; the occurrence maths decides the rest (a
   * nightly window spans every instant of its series but is open two hours a day). `tenantId` restricts them to
   * one tenant: needed on the system pool, where RLS does not.
   */
  async activeAt(db: Db, at: Date, tenantId?: string): Promise<ActiveWindow[]> {
    const r = await db.query<Row>(
      `select ${COLUMNS} from maintenance_windows
        where starts_at <= $1 and (series_end is null or series_end > $1) and ($2::uuid is null or tenant_id = $2)`,
      [at, tenantId ?? null],
    );
    const out: ActiveWindow[] = [];
    for (const row of r.rows) {
      const w = fromRow(row);
      const occurrence = occurrenceAt(w, at);
      if (occurrence) out.push({ ...w, occurrence });
    }
    return out;
  },
};

/** Device id → the ids of the windows open at `at` that cover it; devices in no open window are absent. */
export function coveredDevices(windows: readonly ActiveWindow[], memberships: Map<string, Membership>) {
  const out = new Map<string, string[]>();
  if (windows.length === 0) return out;
  for (const [deviceId, m] of memberships) {
    const ids = windows.filter((w) => w.scopes.some((s) => scopeCovers(s, m))).map((w) => w.id);
    if (ids.length > 0) out.set(deviceId, ids);
  }
  return out;
}

/**
 * Which of the given devices are in maintenance at `at`: device id → ids of the windows covering it (absent: not
 * in maintenance). `memberships` (from `loadMemberships`, catalog/scope.ts) are devices of one tenant: the one of
 * `db` (withTenant), or `tenantId` on the system pool, where an organisation-wide window of another tenant would
 * otherwise cover them too.
 */
export async function devicesInMaintenance(
  db: Db,
  memberships: Map<string, Membership>,
  at: Date,
  tenantId?: string,
): Promise<Map<string, string[]>> {
  if (memberships.size === 0) return new Map();
  return coveredDevices(await maintenanceRepo.activeAt(db, at, tenantId), memberships);
}

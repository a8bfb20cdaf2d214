import type { Db } from '../../platform/db/tx.js';
import type { SectorBody } from './sectors.schema.js';

export type SectorRow = {
  id: string;
  site_id: string;
  name: string;
  azimuth: number;
  width: number;
  frequency: number | null;
  ap_device_id: string | null;
  ap_device_name: string | null;
  ap_device_status: 'online' | 'offline' | 'degraded' | 'unknown' | null;
  notes: string;
  device_count: number;
  created_at: Date;
  updated_at: Date;
};

// The AP's name and status and the device count read devices for display (the read-only exception).
const select = (
  extra = '',
) => `select ${extra} x.id, x.site_id, x.name, x.azimuth, x.width, x.frequency, x.ap_device_id,
                       ap.name as ap_device_name, ap.status as ap_device_status, x.notes,
                       coalesce(n.device_count, 0) as device_count, x.created_at, x.updated_at
                  from sectors x
                  left join devices ap on ap.id = x.ap_device_id
                  left join (select sector_id, count(*)::int as device_count from devices
                              where sector_id in (select id from sectors where site_id = $1) group by sector_id) n
                         on n.sector_id = x.id`;

const columns = ['name', 'azimuth', 'width', 'frequency', 'ap_device_id', 'notes'] as const;

export const sectorsRepo = {
  async list(db: Db, siteId: string, q: { limit: number; offset: number }) {
    const r = await db.query<SectorRow & { total: string }>(
      `${select('count(*) over () as total,')}
        where x.site_id = $1 order by lower(x.name), x.id limit $2 offset $3`,
      [siteId, q.limit, q.offset],
    );
    const total = Number(r.rows[0]?.total ?? 0);
    return { rows: r.rows.map(({ total: _t, ...row }) => row), total };
  },

  async get(db: Db, siteId: string, id: string) {
    return (await db.query<SectorRow>(`${select()} where x.site_id = $1 and x.id = $2`, [siteId, id])).rows[0];
  },

  /** The sector's site, or undefined when there is no such sector (or it is another tenant's). */
  async siteOf(db: Db, id: string) {
    const r = await db.query<{ site_id: string }>('select site_id from sectors where id = $1', [id]);
    return r.rows[0]?.site_id;
  },

  /** Returns the new sector's id. */
  async insert(db: Db, tenantId: string, siteId: string, b: SectorBody) {
    const r = await db.query<{ id: string }>(
      `insert into sectors (tenant_id, site_id, ${columns.join(', ')})
       values ($1, $2, ${columns.map((_, i) => `$${i + 3}`).join(', ')}) returning id`,
      [tenantId, siteId, ...columns.map((c) => b[c])],
    );
    return r.rows[0]!.id;
  },

  /** Replaces every field; false when the site has no such sector. */
  async replace(db: Db, siteId: string, id: string, b: SectorBody) {
    const r = await db.query(
      `update sectors set ${columns.map((c, i) => `${c} = $${i + 3}`).join(', ')} where site_id = $1 and id = $2`,
      [siteId, id, ...columns.map((c) => b[c])],
    );
    return (r.rowCount ?? 0) > 0;
  },

  /** The deleted sector's name (its devices leave it: on delete set null), or undefined when there was none. */
  async delete(db: Db, siteId: string, id: string) {
    const r = await db.query<{ name: string }>('delete from sectors where site_id = $1 and id = $2 returning name', [
      siteId,
      id,
    ]);
    return r.rows[0]?.name;
  },
};

import type { Db } from '../../platform/db/tx.js';

// Reads only. The sites table is the catalog's (catalog.repo.ts writes it); the counts read devices, sectors and
// alert events for display (the read-only exception in docs/ARCHITECTURE.md), always under the caller's RLS.

export type SiteRow = {
  id: string;
  name: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  created_at: Date;
  updated_at: Date;
  device_count: number;
  offline_count: number;
  sector_count: number;
};

export type SiteHealthRow = SiteRow & {
  online: number;
  degraded: number;
  offline: number;
  unknown: number;
  critical: number;
  warning: number;
  info: number;
  last_status_change_at: Date | null;
  last_change_at: Date;
};

const siteCols = 's.id, s.name, s.address, s.latitude, s.longitude, s.created_at, s.updated_at';

export const sitesRepo = {
  /** A page of sites by name, each with its device, offline and sector counts: one grouped count per page. */
  async list(db: Db, q: { limit: number; offset: number; search?: string; id?: string }) {
    const r = await db.query<SiteRow & { total: string }>(
      `with page as (
         select ${siteCols}, count(*) over () as total from sites s
          where ($3::text is null or s.name ilike '%' || $3 || '%') and ($4::uuid is null or s.id = $4)
          order by lower(s.name), s.id limit $1 offset $2),
       devices_of as (
         select site_id, count(*)::int as device_count, (count(*) filter (where status = 'offline'))::int as offline_count
           from devices where site_id in (select id from page) group by site_id),
       sectors_of as (
         select site_id, count(*)::int as sector_count from sectors where site_id in (select id from page) group by site_id)
       select s.*, coalesce(d.device_count, 0) as device_count, coalesce(d.offline_count, 0) as offline_count,
              coalesce(x.sector_count, 0) as sector_count
         from page s left join devices_of d on d.site_id = s.id left join sectors_of x on x.site_id = s.id
        order by lower(s.name), s.id`,
      [q.limit, q.offset, q.search?.replace(/[%_\\]/g, '\\$&') ?? null, q.id ?? null],
    );
    const total = Number(r.rows[0]?.total ?? 0);
    return { rows: r.rows.map(({ total: _t, ...row }) => row), total };
  },

  /** One site as the list shows it. */
  async one(db: Db, id: string) {
    return (await sitesRepo.list(db, { limit: 1, offset: 0, id })).rows[0];
  },

  /** One site with its health roll-up; undefined when there is no such site (or it is another tenant's). */
  async health(db: Db, id: string) {
    const r = await db.query<SiteHealthRow>(
      `select ${siteCols}, d.device_count, d.offline as offline_count, x.sector_count,
              d.online, d.degraded, d.offline, d.unknown, a.critical, a.warning, a.info,
              d.last_status_change_at,
              greatest(s.updated_at, d.last_status_change_at, d.last_edit, x.last_edit) as last_change_at
         from sites s
         cross join lateral (
           select count(*)::int as device_count,
                  (count(*) filter (where status = 'online'))::int as online,
                  (count(*) filter (where status = 'degraded'))::int as degraded,
                  (count(*) filter (where status = 'offline'))::int as offline,
                  (count(*) filter (where status = 'unknown'))::int as unknown,
                  max(status_since) as last_status_change_at, max(updated_at) as last_edit
             from devices where site_id = s.id) d
         cross join lateral (
           -- Active: firing or acknowledged — of the site, its sectors and its devices.
           select (count(*) filter (where e.severity = 'critical'))::int as critical,
                  (count(*) filter (where e.severity = 'warning'))::int as warning,
                  (count(*) filter (where e.severity = 'info'))::int as info
             from alert_events e
            where e.state <> 'resolved'
              and (e.site_id = s.id or e.sector_id in (select id from sectors where site_id = s.id)
                   or e.device_id in (select id from devices where site_id = s.id))) a
         cross join lateral (
           select count(*)::int as sector_count, max(updated_at) as last_edit from sectors where site_id = s.id) x
        where s.id = $1`,
      [id],
    );
    return r.rows[0];
  },

  /** Whether the site exists for the current tenant (RLS hides others). */
  async exists(db: Db, id: string) {
    return ((await db.query('select 1 from sites where id = $1', [id])).rowCount ?? 0) > 0;
  },

  /** Of `ids`, the devices that exist for the current tenant and where they are now. */
  async devicesOf(db: Db, ids: readonly string[]) {
    const r = await db.query<{ id: string; site_id: string | null; sector_id: string | null }>(
      'select id, site_id, sector_id from devices where id = any($1::uuid[])',
      [ids],
    );
    return r.rows;
  },
};

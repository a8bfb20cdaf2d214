import type { Db } from '../../platform/db/tx.js';
import type { Membership } from '../catalog/scope.js';
import type { SiteScope } from './site-values.repo.js';

// Sites and sectors as site alerts need them (read-only; features/sites owns these tables). Under RLS in requests,
// as `system` in the schedule.

export const siteScopesRepo = {
  async siteExists(db: Db, siteId: string): Promise<boolean> {
    return ((await db.query('select 1 from sites where id = $1', [siteId])).rowCount ?? 0) > 0;
  },

  /** The site of a sector, or undefined when there is no such sector. */
  async siteOfSector(db: Db, sectorId: string): Promise<string | undefined> {
    const r = await db.query<{ site_id: string }>('select site_id from sectors where id = $1', [sectorId]);
    return r.rows[0]?.site_id;
  },

  /** How many devices a site or sector has (a sector's: those assigned to it, and its AP). */
  async deviceCount(db: Db, scope: SiteScope): Promise<number> {
    const r = await db.query<{ n: number }>(
      scope.kind === 'site'
        ? 'select count(*)::int as n from devices where site_id = $1'
        : `select count(*)::int as n from devices d
            where d.sector_id = $1 or d.id = (select ap_device_id from sectors where id = $1)`,
      [scope.id],
    );
    return r.rows[0]!.n;
  },

  /**
   * What a maintenance window's scopes are matched against for a site or sector alert: a window covers it when it
   * covers the organisation, the site, or (for a sector) the sector. No device, group or tag window covers a whole
   * site. Keyed by `kind:id`.
   */
  async memberships(db: Db, scopes: readonly SiteScope[]): Promise<Map<string, Membership>> {
    const out = new Map<string, Membership>();
    const sectorIds = scopes.filter((s) => s.kind === 'sector').map((s) => s.id);
    const sites = new Map<string, string>();
    if (sectorIds.length > 0) {
      const r = await db.query<{ id: string; site_id: string }>(
        'select id, site_id from sectors where id = any($1::uuid[])',
        [sectorIds],
      );
      for (const x of r.rows) sites.set(x.id, x.site_id);
    }
    for (const s of scopes) {
      const siteId = s.kind === 'site' ? s.id : sites.get(s.id);
      if (!siteId) continue;
      out.set(`${s.kind}:${s.id}`, {
        deviceId: '',
        siteId,
        sectorId: s.kind === 'sector' ? s.id : null,
        groupIds: [],
        tagIds: [],
      });
    }
    return out;
  },
};

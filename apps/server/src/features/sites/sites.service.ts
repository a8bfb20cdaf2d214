import type pg from 'pg';
import { assertCan, policiesFor } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, conflictFromPg, notFound } from '../../platform/http/errors.js';
import { jsonDates } from '../../platform/http/schemas.js';
import { recordAudit } from '../audit/audit.service.js';
import { catalogRepo } from '../catalog/catalog.repo.js';
import type { CatalogBody } from '../catalog/catalog.schema.js';
import { sites } from '../catalog/catalogs.js';
import { devicesRepo } from '../devices/devices.repo.js';
import { type SiteHealthRow, type SiteRow, sitesRepo } from './sites.repo.js';
import type { SiteHealth, SiteListQuery } from './sites.schema.js';

const siteCatalog = catalogRepo(sites);
const unique = { sites_name_key: ['name_taken', 'a site with this name exists'] } as const;
/** How many unknown ids a refused bulk assignment names in its detail (the field errors name them all). */
const namedInDetail = 10;

export function createSitesService(deps: { appPool: pg.Pool }) {
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, actor.tenantId, fn);
  const present = (actor: Actor, row: SiteRow) => ({
    ...jsonDates(row),
    policies: policiesFor(actor.principal, ['inventory.write', 'inventory.delete']),
  });
  const withHealth = (actor: Actor, row: SiteHealthRow) => {
    const {
      online,
      degraded,
      offline,
      unknown,
      critical,
      warning,
      info,
      last_status_change_at,
      last_change_at,
      ...site
    } = row;
    const health: SiteHealth = {
      device_count: row.device_count,
      devices_by_status: { online, degraded, offline, unknown },
      active_alerts: { critical, warning, info, total: critical + warning + info },
      sector_count: row.sector_count,
      last_status_change_at: last_status_change_at?.toISOString() ?? null,
      last_change_at: last_change_at.toISOString(),
    };
    return { ...present(actor, site), health };
  };

  /** The site, or a 404 (another tenant's site is invisible under RLS). */
  async function health(db: pg.PoolClient, actor: Actor, id: string) {
    const row = await sitesRepo.health(db, id);
    if (!row) throw notFound('site');
    return withHealth(actor, row);
  }

  return {
    async list(actor: Actor, q: SiteListQuery) {
      assertCan(actor, 'inventory.read');
      const r = await inTenant(actor, (db) => sitesRepo.list(db, q));
      return { items: r.rows.map((row) => present(actor, row)), total: r.total, limit: q.limit, offset: q.offset };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'inventory.read');
      return inTenant(actor, (db) => health(db, actor, id));
    },

    async create(actor: Actor, body: CatalogBody) {
      assertCan(actor, 'inventory.write');
      const row = await inTenant(actor, async (db) => {
        const id = await siteCatalog.insert(db, actor.tenantId!, body).catch((e) => conflictFromPg(e, unique));
        await recordAudit(db, actor, { action: 'sites.create', targetType: 'site', targetId: id, details: body });
        return (await sitesRepo.one(db, id))!;
      });
      return present(actor, row);
    },

    /** PATCH: the fields sent. */
    async update(actor: Actor, id: string, body: CatalogBody) {
      assertCan(actor, 'inventory.write');
      const row = await inTenant(actor, async (db) => {
        const found = await siteCatalog.update(db, id, body).catch((e) => conflictFromPg(e, unique));
        if (!found) throw notFound('site');
        await recordAudit(db, actor, { action: 'sites.update', targetType: 'site', targetId: id, details: body });
        return (await sitesRepo.one(db, id))!;
      });
      return present(actor, row);
    },

    /** PUT: every field from the body (the create body, its defaults included). */
    async replace(actor: Actor, id: string, body: CatalogBody) {
      assertCan(actor, 'inventory.write');
      return inTenant(actor, async (db) => {
        const found = await siteCatalog.update(db, id, body).catch((e) => conflictFromPg(e, unique));
        if (!found) throw notFound('site');
        await recordAudit(db, actor, {
          action: 'sites.update',
          targetType: 'site',
          targetId: id,
          details: { ...body, replace: true },
        });
        return health(db, actor, id);
      });
    },

    /** Puts a device in the site (leaving its sector if it was in another site). */
    async assign(actor: Actor, siteId: string, deviceId: string) {
      assertCan(actor, 'inventory.write');
      return inTenant(actor, async (db) => {
        if (!(await sitesRepo.exists(db, siteId))) throw notFound('site');
        const [device] = await sitesRepo.devicesOf(db, [deviceId]);
        if (!device) throw notFound('device');
        if (device.site_id !== siteId) {
          await devicesRepo.setSite(db, [deviceId], siteId);
          await recordAudit(db, actor, {
            action: 'sites.device_assign',
            targetType: 'site',
            targetId: siteId,
            details: { device_id: deviceId, from_site_id: device.site_id },
          });
        }
        const [after] = await sitesRepo.devicesOf(db, [deviceId]);
        return { device_id: deviceId, site_id: after!.site_id, sector_id: after!.sector_id };
      });
    },

    /** Takes a device out of the site; a device not in it is left where it is (the call is idempotent). */
    async unassign(actor: Actor, siteId: string, deviceId: string) {
      assertCan(actor, 'inventory.write');
      await inTenant(actor, async (db) => {
        if (!(await sitesRepo.exists(db, siteId))) throw notFound('site');
        const [device] = await sitesRepo.devicesOf(db, [deviceId]);
        if (!device) throw notFound('device');
        if (device.site_id !== siteId) return;
        await devicesRepo.setSite(db, [deviceId], null);
        await recordAudit(db, actor, {
          action: 'sites.device_unassign',
          targetType: 'site',
          targetId: siteId,
          details: { device_id: deviceId },
        });
      });
    },

    /** Puts many devices in the site, all or nothing: one unknown id refuses the whole request, naming them. */
    async bulkAssign(actor: Actor, siteId: string, deviceIds: readonly string[]) {
      assertCan(actor, 'inventory.write');
      const ids = [...new Set(deviceIds)];
      return inTenant(actor, async (db) => {
        if (!(await sitesRepo.exists(db, siteId))) throw notFound('site');
        const found = await sitesRepo.devicesOf(db, ids);
        const known = new Set(found.map((d) => d.id));
        const missing = ids.filter((id) => !known.has(id));
        if (missing.length)
          throw new AppError(
            'unknown_devices',
            `unknown device id(s): ${missing.slice(0, namedInDetail).join(', ')}${missing.length > namedInDetail ? `, … (${missing.length} in all)` : ''}`,
            missing.map((id) => ({
              path: `body.device_ids.${deviceIds.indexOf(id)}`,
              message: `unknown device ${id}`,
            })),
          );
        const moved = found.filter((d) => d.site_id !== null && d.site_id !== siteId).length;
        const changing = found.filter((d) => d.site_id !== siteId).map((d) => d.id);
        if (changing.length) await devicesRepo.setSite(db, changing, siteId);
        await recordAudit(db, actor, {
          action: 'sites.devices_bulk_assign',
          targetType: 'site',
          targetId: siteId,
          details: { count: ids.length, changed: changing.length, moved, device_ids: ids.slice(0, 100) },
        });
        return { site_id: siteId, assigned: ids.length, moved };
      });
    },
  };
}
export type SitesService = ReturnType<typeof createSitesService>;

import type pg from 'pg';
import { assertCan, policiesFor } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, conflictFromPg, notFound } from '../../platform/http/errors.js';
import { jsonDates } from '../../platform/http/schemas.js';
import { recordAudit } from '../audit/audit.service.js';
import { devicesRepo } from '../devices/devices.repo.js';
import { type SectorRow, sectorsRepo } from './sectors.repo.js';
import type { SectorBody, SectorItem, SectorListQuery } from './sectors.schema.js';
import { sitesRepo } from './sites.repo.js';

const unique = { sectors_name_key: ['name_taken', 'this site has a sector with this name'] } as const;

export function createSectorsService(deps: { appPool: pg.Pool }) {
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, actor.tenantId, fn);
  const present = (actor: Actor, row: SectorRow): SectorItem => ({
    ...jsonDates(row),
    policies: policiesFor(actor.principal, ['inventory.write', 'inventory.delete']),
  });

  async function requireSite(db: pg.PoolClient, siteId: string) {
    if (!(await sitesRepo.exists(db, siteId))) throw notFound('site');
  }

  /** The AP must be a device of the sector's site (a device of another tenant is unknown). */
  async function checkAp(db: pg.PoolClient, siteId: string, apId: string | null) {
    if (apId === null) return;
    const [ap] = await sitesRepo.devicesOf(db, [apId]);
    if (!ap)
      throw new AppError('validation_failed', `ap_device_id: unknown device ${apId}`, [
        { path: 'body.ap_device_id', message: 'unknown device' },
      ]);
    if (ap.site_id !== siteId)
      throw new AppError('ap_not_in_site', 'the AP must be a device of this site: assign it to the site first');
  }

  return {
    async list(actor: Actor, siteId: string, q: SectorListQuery) {
      assertCan(actor, 'inventory.read');
      const r = await inTenant(actor, async (db) => {
        await requireSite(db, siteId);
        return sectorsRepo.list(db, siteId, q);
      });
      return { items: r.rows.map((row) => present(actor, row)), total: r.total, limit: q.limit, offset: q.offset };
    },

    async create(actor: Actor, siteId: string, body: SectorBody) {
      assertCan(actor, 'inventory.write');
      const row = await inTenant(actor, async (db) => {
        await requireSite(db, siteId);
        await checkAp(db, siteId, body.ap_device_id);
        const id = await sectorsRepo.insert(db, actor.tenantId!, siteId, body).catch((e) => conflictFromPg(e, unique));
        await recordAudit(db, actor, {
          action: 'sectors.create',
          targetType: 'sector',
          targetId: id,
          details: { site_id: siteId, ...body },
        });
        return (await sectorsRepo.get(db, siteId, id))!;
      });
      return present(actor, row);
    },

    /** PUT: every field from the body. */
    async replace(actor: Actor, siteId: string, id: string, body: SectorBody) {
      assertCan(actor, 'inventory.write');
      const row = await inTenant(actor, async (db) => {
        if (!(await sectorsRepo.get(db, siteId, id))) throw notFound('sector');
        await checkAp(db, siteId, body.ap_device_id);
        await sectorsRepo.replace(db, siteId, id, body).catch((e) => conflictFromPg(e, unique));
        await recordAudit(db, actor, {
          action: 'sectors.update',
          targetType: 'sector',
          targetId: id,
          details: { site_id: siteId, ...body },
        });
        return (await sectorsRepo.get(db, siteId, id))!;
      });
      return present(actor, row);
    },

    /** Its devices stay in the site, in no sector. */
    async remove(actor: Actor, siteId: string, id: string) {
      assertCan(actor, 'inventory.delete');
      await inTenant(actor, async (db) => {
        const name = await sectorsRepo.delete(db, siteId, id);
        if (name === undefined) throw notFound('sector');
        await recordAudit(db, actor, {
          action: 'sectors.delete',
          targetType: 'sector',
          targetId: id,
          details: { site_id: siteId, name },
        });
      });
    },

    /**
     * Puts a device in a sector, and in the sector's site when it is in none; a device in another site is refused
     * (move it first). Null takes it out of its sector and leaves it in its site.
     */
    async setDeviceSector(actor: Actor, deviceId: string, sectorId: string | null) {
      assertCan(actor, 'inventory.write');
      return inTenant(actor, async (db) => {
        const [device] = await sitesRepo.devicesOf(db, [deviceId]);
        if (!device) throw notFound('device');
        const siteId = sectorId === null ? null : await sectorsRepo.siteOf(db, sectorId);
        if (siteId === undefined) throw notFound('sector');
        const refuse = () =>
          new AppError(
            'device_in_other_site',
            'the device is in another site than the sector: assign it to the sector’s site first',
          );
        if (siteId !== null && device.site_id !== null && device.site_id !== siteId) throw refuse();
        if (device.sector_id !== sectorId) {
          // The statement re-checks the site, so a concurrent move cannot put the device in a foreign sector.
          if (!(await devicesRepo.setSector(db, deviceId, sectorId, siteId))) throw refuse();
          await recordAudit(db, actor, {
            action: 'device.sector_set',
            targetType: 'device',
            targetId: deviceId,
            details: {
              sector_id: sectorId,
              from_sector_id: device.sector_id,
              ...(siteId !== null && device.site_id === null ? { site_assigned: siteId } : {}),
            },
          });
        }
        const [after] = await sitesRepo.devicesOf(db, [deviceId]);
        return { device_id: deviceId, site_id: after!.site_id, sector_id: after!.sector_id };
      });
    },
  };
}
export type SectorsService = ReturnType<typeof createSectorsService>;

import type pg from 'pg';
import { withSystem } from '../../platform/db/tx.js';
import { loadMemberships } from '../catalog/scope.js';
import { devicesInMaintenance } from '../maintenance-windows/maintenance-windows.repo.js';
import { deliveriesRepo } from './deliveries.repo.js';
import { siteScopesRepo } from './site-scopes.repo.js';
import type { SiteScope } from './site-values.repo.js';

/**
 * Notifications held for a maintenance window: for every device, site or sector whose window has ended, what is
 * still worth sending goes out (deliveriesRepo.release decides). Runs as an exactly-once schedule in the worker role.
 */
export async function releaseEndedWindows(system: pg.Pool, at = new Date()): Promise<number> {
  return withSystem(system, async (db) => {
    const held = await deliveriesRepo.held(db);
    if (held.length === 0) return 0;
    const byTenant = new Map<string, { devices: string[]; scopes: SiteScope[] }>();
    for (const h of held) {
      const t = byTenant.get(h.tenant_id) ?? { devices: [], scopes: [] };
      byTenant.set(h.tenant_id, t);
      if (h.device_id) t.devices.push(h.device_id);
      else if (h.site_id) t.scopes.push({ kind: 'site', id: h.site_id });
      else if (h.sector_id) t.scopes.push({ kind: 'sector', id: h.sector_id });
    }
    const ended: string[] = [];
    const endedSites: string[] = [];
    const endedSectors: string[] = [];
    for (const [tenantId, { devices, scopes }] of byTenant) {
      if (devices.length > 0) {
        const members = await loadMemberships(db, devices);
        const still = await devicesInMaintenance(db, members, at, tenantId);
        for (const d of devices) if (!still.has(d)) ended.push(d);
      }
      if (scopes.length > 0) {
        const members = await siteScopesRepo.memberships(db, scopes);
        const still = await devicesInMaintenance(db, members, at, tenantId);
        for (const s of scopes) {
          if (still.has(`${s.kind}:${s.id}`)) continue;
          (s.kind === 'site' ? endedSites : endedSectors).push(s.id);
        }
      }
    }
    return deliveriesRepo.release(db, ended, endedSites, endedSectors);
  });
}

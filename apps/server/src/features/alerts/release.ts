import type pg from 'pg';
import { withSystem } from '../../platform/db/tx.js';
import { loadMemberships } from '../catalog/scope.js';
import { devicesInMaintenance } from '../maintenance-windows/maintenance-windows.repo.js';
import { deliveriesRepo } from './deliveries.repo.js';

/**
 * Notifications held for a maintenance window: for every device whose window has ended, what is still worth
 * sending goes out (deliveriesRepo.release decides). Runs as an exactly-once schedule in the worker role.
 */
export async function releaseEndedWindows(system: pg.Pool, at = new Date()): Promise<number> {
  return withSystem(system, async (db) => {
    const held = await deliveriesRepo.held(db);
    if (held.length === 0) return 0;
    const byTenant = new Map<string, string[]>();
    for (const h of held) {
      const list = byTenant.get(h.tenant_id);
      if (list) list.push(h.device_id);
      else byTenant.set(h.tenant_id, [h.device_id]);
    }
    const ended: string[] = [];
    for (const [tenantId, deviceIds] of byTenant) {
      const members = await loadMemberships(db, deviceIds);
      const still = await devicesInMaintenance(db, members, at, tenantId);
      for (const d of deviceIds) if (!still.has(d)) ended.push(d);
    }
    return deliveriesRepo.release(db, ended);
  });
}

import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { devicesSummaryRepo } from '../devices/devices.summary.repo.js';
import type { FleetSummary } from './fleet.schema.js';

export function createFleetService(deps: { appPool: pg.Pool }) {
  return {
    async summary(actor: Actor): Promise<FleetSummary> {
      assertCan(actor, 'devices.read');
      return withTenant(deps.appPool, actor.tenantId, (db) => devicesSummaryRepo.summary(db));
    },
  };
}
export type FleetService = ReturnType<typeof createFleetService>;

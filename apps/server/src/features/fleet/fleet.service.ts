import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { readInTenant } from '../../platform/db/tx.js';
import { devicesSummaryRepo } from '../devices/devices.summary.repo.js';
import type { FleetSummary } from './fleet.schema.js';

/** `readPool`: a read pool (pools.ts) or the app pool. */
export function createFleetService(deps: { readPool: pg.Pool }) {
  return {
    async summary(actor: Actor): Promise<FleetSummary> {
      assertCan(actor, 'devices.read');
      return readInTenant(deps.readPool, actor.tenantId, (db) => devicesSummaryRepo.summary(db));
    },
  };
}
export type FleetService = ReturnType<typeof createFleetService>;

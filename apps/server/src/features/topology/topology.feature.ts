import { z } from 'zod';
import type { LiveMessage } from '../../platform/bus/types.js';
import { withSystem } from '../../platform/db/tx.js';
import type { DomainEvent } from '../../platform/events/types.js';
import { defineFeature } from '../../platform/feature/feature.js';
import type { ResultConsumer } from '../ingest/ingest.batch.js';
import { consumeTopology, rebuildEdges } from './consume.js';
import { observationsRepo } from './observations.repo.js';
import { topologyRoutes } from './topology.routes.js';
import { createTopologyService, type TopologyService } from './topology.service.js';

const permissions = {
  'topology.read': 'viewer',
  /** Name the core devices (changes the order of firmware upgrades). */
  'topology.write': 'operator',
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    topology: TopologyService & { consumer: ResultConsumer };
  }
}

/** Sightings gone this long are forgotten (their edges have been stale for weeks). */
const FORGET_DAYS = 30;

const changedMessage = z.object({ edges: z.number().int() });
function changedLive(e: DomainEvent): LiveMessage | null {
  if (e.tenantId === null) return null;
  const data = changedMessage.safeParse(e.payload);
  return data.success ? { type: 'topology.changed', tenantId: e.tenantId, ...data.data } : null;
}

/**
 * Topology: the links between routers as they report them (neighbour discovery, wireless registrations), kept
 * current by ingest (consumer) and served as a graph, with the path from the core to any device.
 */
export const topologyFeature = defineFeature({
  name: 'topology',
  permissions,
  service: ({ pools }) =>
    Object.assign(createTopologyService({ appPool: pools.app }), {
      consumer: { name: 'topology', consume: consumeTopology } satisfies ResultConsumer,
    }),
  routes: (app, { service }) => topologyRoutes(app, service),
  schedules: ({ pools }) => [
    {
      name: 'topology.forget',
      everyMs: 3_600_000,
      run: () =>
        withSystem(pools.system, async (db) => rebuildEdges(db, await observationsRepo.prune(db, FORGET_DAYS))),
    },
  ],
  live: {
    'topology.changed': {
      permission: 'topology.read',
      events: 'topology.changed',
      message: changedLive,
      schema: changedMessage,
    },
  },
});

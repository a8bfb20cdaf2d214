import { defineFeature } from '../../platform/feature/feature.js';
import type { ResultConsumer } from '../ingest/ingest.batch.js';
import { consumeWireless } from './consume.js';
import { wirelessRoutes } from './wireless.routes.js';
import { createWirelessService, type WirelessService } from './wireless.service.js';

const permissions = {
  'wireless.read': 'viewer',
  /** Wireless issues across every organisation. */
  'wireless.fleet': 'super_admin',
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    wireless: WirelessService & { consumer: ResultConsumer };
  }
}

/**
 * Wireless: registrations and radios as routers report them (ingest's consumer), links AP → CPE with their state,
 * unknown clients, RF stats, signal history with an hourly rollup and a trend, and wireless issues.
 */
export const wirelessFeature = defineFeature({
  name: 'wireless',
  permissions,
  service: ({ pools }) =>
    Object.assign(createWirelessService({ appPool: pools.app, systemPool: pools.system }), {
      consumer: { name: 'wireless', consume: consumeWireless } satisfies ResultConsumer,
    }),
  routes: (app, { service }) => wirelessRoutes(app, service),
});

import { defineFeature } from '../../platform/feature/feature.js';
import { fleetRoutes } from './fleet.routes.js';
import { createFleetService, type FleetService } from './fleet.service.js';

declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    fleet: FleetService;
  }
}

/** The dashboard's fleet summary. */
export const fleetFeature = defineFeature({
  name: 'fleet',
  service: ({ pools }) => createFleetService({ readPool: pools.read }),
  routes: (app, { service }) => fleetRoutes(app, service),
});

import { defineFeature } from '../../platform/feature/feature.js';
import { KIND, simpleConfigPlanner } from './request.js';
import { simpleConfigRoutes } from './simple-config.routes.js';
import { createSimpleConfigService, type SimpleConfigService } from './simple-config.service.js';

// Reads and writes go through the safe-change engine's permissions: changes.read to see a tab, changes.apply to
// apply one (a viewer may keep a view preference; it changes nothing on the router).
const errors = { invalid_simple_config: 422 } as const;

declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    simpleConfig: SimpleConfigService;
  }
}

/** Simple Config: seven consumer-router forms read from the device and applied as one safe-change operation. */
export const simpleConfigFeature = defineFeature({
  name: 'simpleConfig',
  errors,
  service: ({ pools, envelope, services }) => {
    services.changes.registerPlanner(KIND, simpleConfigPlanner(envelope));
    return createSimpleConfigService({
      appPool: pools.app,
      envelope,
      devices: services.devices,
      credentialProfiles: services.credentialProfiles,
      access: services.deviceAccess,
      changes: services.changes,
    });
  },
  routes: (app, { service }) => simpleConfigRoutes(app, service),
});

import type { z } from 'zod';
import type { Actor } from '../../platform/auth/principal.js';
import { defineFeature } from '../../platform/feature/feature.js';
import type { Tab } from './forms.js';
import { KIND, simpleConfigPlanner } from './request.js';
import { SIMPLE_CONFIG_ROLLOUT, simpleConfigKind, startSimpleConfigRollout } from './rollout.js';
import { simpleConfigRoutes } from './simple-config.routes.js';
import type { rolloutBody } from './simple-config.schema.js';
import { createSimpleConfigService, type SimpleConfigService } from './simple-config.service.js';

// Reads and writes go through the safe-change engine's permissions: changes.read to see a tab, changes.apply to
// apply one (a viewer may keep a view preference; it changes nothing on the router).
const errors = { invalid_simple_config: 422 } as const;

declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    simpleConfig: SimpleConfigService & {
      applyMany: (actor: Actor, tab: Tab, body: z.infer<typeof rolloutBody>) => Promise<{ rollout_id: string }>;
    };
  }
}

/** Simple Config: seven consumer-router forms read from the device and applied as one safe-change operation. */
export const simpleConfigFeature = defineFeature({
  name: 'simpleConfig',
  errors,
  service: ({ pools, envelope, services }) => {
    services.changes.registerPlanner(KIND, simpleConfigPlanner(envelope));
    const svc = createSimpleConfigService({
      appPool: pools.app,
      envelope,
      devices: services.devices,
      credentialProfiles: services.credentialProfiles,
      access: services.deviceAccess,
      changes: services.changes,
    });
    services.rollouts.registerKind(
      SIMPLE_CONFIG_ROLLOUT,
      simpleConfigKind(() => svc),
    );
    return Object.assign(svc, {
      applyMany: (actor: Actor, tab: Tab, body: z.infer<typeof rolloutBody>) =>
        startSimpleConfigRollout(services.rollouts, actor, tab, body),
    });
  },
  routes: (app, { service }) => simpleConfigRoutes(app, service),
});

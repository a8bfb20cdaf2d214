import { systemActor } from '../../platform/auth/principal.js';
import { defineFeature } from '../../platform/feature/feature.js';
import { demoRoutes } from './demo.routes.js';
import { createDemoService, type DemoService } from './demo.service.js';

const permissions = { 'demo.manage': 'super_admin' } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    demo: DemoService;
  }
}

/** The demo fleet: simulated routers inside the api process, in a flagged organisation. */
export const demoFeature = defineFeature({
  name: 'demo',
  permissions,
  service: ({ config, pools, services, log }) =>
    createDemoService({ systemPool: pools.system, devices: services.devices, basePort: config.DEMO_BASE_PORT, log }),
  routes: (app, { service }) => demoRoutes(app, service),
  runners: {
    // Started once the HTTP server listens: brings the simulated routers back, or creates them with --demo.
    api: async ({ service, flags }) => {
      if (flags.demo) await service.start(systemActor('cli --demo'));
      else await service.resume();
      return { stop: () => service.stop() };
    },
  },
});

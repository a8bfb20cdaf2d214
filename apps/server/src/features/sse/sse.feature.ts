import { defineFeature } from '../../platform/feature/feature.js';
import { principalChecks, sseRoutes } from './sse.routes.js';

/** GET /api/tenants/{id}/stream: live updates as Server-Sent Events. */
export const sseFeature = defineFeature({
  name: 'sse',
  routes: (app, { bus, services, livePermissions, liveSchemas, liveCoalesce }) =>
    sseRoutes(app, {
      subscribe: bus.subscribeTenant.bind(bus),
      recheck: principalChecks(services),
      livePermissions,
      liveSchemas,
      liveCoalesce,
    }),
});

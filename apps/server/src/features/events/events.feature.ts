import { defineFeature } from '../../platform/feature/feature.js';
import { deviceEventLive, deviceEventMessage } from './events.domain.js';
import { eventsRoutes } from './events.routes.js';
import { createEventsService, type EventsService } from './events.service.js';

const permissions = { 'events.read': 'viewer' } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    events: EventsService;
  }
}

/** The device event log (status changes, reboots, config changes) and its API. */
export const eventsFeature = defineFeature({
  name: 'events',
  permissions,
  service: ({ pools }) => createEventsService({ readPool: pools.read }),
  routes: (app, { service }) => eventsRoutes(app, service),
  // Every device.* domain event reaches the live stream as the `device.event` message of the event feed.
  live: {
    'device.event': {
      permission: 'events.read',
      events: 'device.*',
      message: deviceEventLive,
      schema: deviceEventMessage,
    },
  },
});

import { z } from 'zod';
import type { LiveMessage } from '../../platform/bus/types.js';
import type { DomainEvent } from '../../platform/events/types.js';
import { defineFeature } from '../../platform/feature/feature.js';
import { maintenanceWindowsRoutes } from './maintenance-windows.routes.js';
import { createMaintenanceWindowsService, type MaintenanceWindowsService } from './maintenance-windows.service.js';

const permissions = { 'maintenance.read': 'viewer', 'maintenance.write': 'operator' } as const;

const errors = {
  invalid_timezone: 422,
  invalid_window: 422,
  invalid_recurrence: 422,
  scope_not_found: 422,
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    maintenanceWindows: MaintenanceWindowsService;
  }
}

// A window created, changed or deleted: lists and the alerts page refresh.
const windowMessage = z.object({ window_id: z.string(), change: z.enum(['created', 'updated', 'deleted']) });
const windowLive = (e: DomainEvent): LiveMessage | null => {
  const id = (e.payload as { window_id?: unknown } | null)?.window_id;
  if (e.tenantId === null || typeof id !== 'string') return null;
  const change = e.type.slice('maintenance.window_'.length) as z.infer<typeof windowMessage>['change'];
  return { type: 'maintenance.window', tenantId: e.tenantId, window_id: id, change };
};

/** Maintenance windows: when alerts of the devices they cover are recorded but not sent (occurrences.ts). */
export const maintenanceWindowsFeature = defineFeature({
  name: 'maintenanceWindows',
  permissions,
  errors,
  service: ({ pools }) => createMaintenanceWindowsService({ appPool: pools.app }),
  routes: (app, { service }) => maintenanceWindowsRoutes(app, service),
  live: {
    'maintenance.window': {
      permission: 'maintenance.read',
      events: 'maintenance.window_*',
      message: windowLive,
      schema: windowMessage,
    },
  },
});

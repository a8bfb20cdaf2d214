import { withSystem } from '../../platform/db/tx.js';
import { defineFeature } from '../../platform/feature/feature.js';
import { devicesRoutes } from './devices.routes.js';
import { createDevicesService, type DevicesService } from './devices.service.js';
import { compactTallies } from './devices.tallies.repo.js';

const permissions = {
  'devices.read': 'viewer',
  'devices.write': 'operator',
  'devices.delete': 'admin',
  'devices.scan': 'operator',
  // Trusting a device's new SSH host key (clearing the pin) is what a man in the middle would need: admins only.
  'devices.trust': 'admin',
} as const;
const errors = { device_exists: 409, invalid_csv: 400 } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    devices: DevicesService;
  }
}

/** The device inventory: CRUD, probe, scan, CSV import, bulk actions. */
export const devicesFeature = defineFeature({
  name: 'devices',
  permissions,
  errors,
  service: ({ config, pools, envelope, services }) =>
    createDevicesService({
      appPool: pools.app,
      readPool: pools.read,
      envelope,
      access: services.deviceAccess,
      scanTimeoutMs: config.SCAN_TIMEOUT_MS,
    }),
  routes: (app, { service, config }) =>
    devicesRoutes(app, {
      devices: service,
      scanPerMinute: config.SCAN_RATE_LIMIT_PER_MINUTE,
      probePerMinute: config.PROBE_RATE_LIMIT_PER_MINUTE,
    }),
  // The tallies' deltas folded into one row each, so reading them stays a handful of rows.
  schedules: ({ pools }) => [
    { name: 'devices.tallies', everyMs: 10_000, run: () => withSystem(pools.system, compactTallies) },
  ],
});

import { defineFeature } from '../../platform/feature/feature.js';
import { parseCidr } from '../../platform/net/cidr.js';
import { createDeviceAccess, type DeviceAccess } from './device-access.service.js';
import { ownEndpointsOf } from './target-policy.js';
import { accessFailureStatus } from './taxonomy.js';

const errors = {
  ...accessFailureStatus,
  device_busy: 409,
  device_sessions_busy: 503,
  lease_lost: 409,
} as const;

declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    deviceAccess: DeviceAccess;
  }
}

/** How every feature reaches a router: sessions per purpose, one failure taxonomy, session slots, change locks. */
export const deviceAccessFeature = defineFeature({
  name: 'deviceAccess',
  errors,
  service: ({ config, pools, envelope }) =>
    createDeviceAccess({
      appPool: pools.app,
      envelope,
      options: {
        connectTimeoutMs: config.CONNECTION_TIMEOUT_SECONDS * 1000,
        commandTimeoutMs: config.COMMAND_TIMEOUT_SECONDS * 1000,
        maxExtraSessions: config.DEVICE_MAX_EXTRA_SESSIONS,
        sessionLeaseMs: config.DEVICE_SESSION_LEASE_SECONDS * 1000,
        probeConcurrency: config.PROBE_MAX_CONCURRENT,
        probeConcurrencyPerTenant: config.PROBE_MAX_CONCURRENT_PER_TENANT,
        deny: config.DEVICE_NETWORKS_DENY.map(parseCidr),
        // The pools' URL names the database actually in use (the embedded one picks its port at start).
        own: ownEndpointsOf(config, (pools.app.options as { connectionString?: string }).connectionString),
      },
    }),
});

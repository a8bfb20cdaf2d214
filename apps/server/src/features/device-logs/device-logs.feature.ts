import { defineFeature } from '../../platform/feature/feature.js';
import { maintainLogPartitions } from './device-logs.partitions.js';
import { deviceLogsRoutes } from './device-logs.routes.js';
import { createDeviceLogsService, type DeviceLogsService } from './device-logs.service.js';
import { startSyslogReceiver } from './syslog/receiver.js';

const permissions = { 'logs.read': 'viewer' } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    deviceLogs: DeviceLogsService;
  }
}

/**
 * Device logs: lines the poller reads from each router's `/log` (ingest stores them with
 * deviceLogsRepo.insertFromResults) and syslog that routers send to SYSLOG_PORT, searchable per device and across
 * the organisation, kept DEVICE_LOG_RETENTION_DAYS in daily partitions.
 */
export const deviceLogsFeature = defineFeature({
  name: 'deviceLogs',
  permissions,
  service: ({ pools, services }) => createDeviceLogsService({ appPool: pools.app, devices: services.devices }),
  routes: (app, { service }) => deviceLogsRoutes(app, service),
  schedules: ({ pools, config }) => {
    const owner = pools.owner;
    if (!owner) return [];
    return [
      {
        name: 'device_logs.partitions',
        everyMs: 3_600_000,
        run: () => maintainLogPartitions(owner, config.DEVICE_LOG_RETENTION_DAYS),
      },
    ];
  },
  runners: {
    worker: async ({ pools, config, log, registry }) => {
      // Today's partition must exist before ingest writes (the hourly schedule keeps them ahead).
      if (pools.owner) await maintainLogPartitions(pools.owner, config.DEVICE_LOG_RETENTION_DAYS);
      if (config.SYSLOG_PORT === 0) return { stop: async () => {} };
      // One process owns the port: a second worker on the same host finds it taken and runs without a receiver.
      try {
        return await startSyslogReceiver({
          system: pools.system,
          log,
          registry,
          host: config.SYSLOG_HOST,
          port: config.SYSLOG_PORT,
        });
      } catch (err) {
        log.warn(
          { err, port: config.SYSLOG_PORT },
          'syslog receiver not started (port taken?); this worker runs without it',
        );
        return { stop: async () => {} };
      }
    },
  },
});

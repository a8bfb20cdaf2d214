import { withSystem } from '../../platform/db/tx.js';
import { defineFeature } from '../../platform/feature/feature.js';
import { StepFailed } from '../rollouts/kinds.js';
import { createPackageCache, firmwareCacheDir } from './cache.js';
import { type Checker, createChecker } from './checker.js';
import { firmwareRepo } from './firmware.repo.js';
import { firmwareRoutes, MAX_PACKAGE_BYTES } from './firmware.routes.js';
import { createFirmwareService, type FirmwareService } from './firmware.service.js';
import { firmwareKind } from './upgrade.js';

const permissions = {
  'firmware.read': 'viewer',
  /** Ask every router what its channel offers now. */
  'firmware.check': 'operator',
  /** Start firmware rollouts (with rollouts.control). */
  'firmware.upgrade': 'operator',
  /** Put packages into TOD's cache. */
  'firmware.packages': 'admin',
} as const;

const errors = {
  major_upgrade_unconfirmed: 422,
  no_known_version: 422,
  maintenance_window_over: 422,
  npk_invalid: 422,
  /** MikroTik's download server failed, lacks the file or sent too much. */
  firmware_download_failed: 502,
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    firmware: FirmwareService & { checker: Checker };
  }
}

/** Firmware: the inventory of what routers run, a daily check of their channels, and upgrades as rollouts. */
export const firmwareFeature = defineFeature({
  name: 'firmware',
  permissions,
  errors,
  service: ({ config, pools, services, log }) => {
    const flog = log.child({ feature: 'firmware' });
    const cache = createPackageCache(firmwareCacheDir(config));
    const checker = createChecker({
      appPool: pools.app,
      systemPool: pools.system,
      access: services.deviceAccess,
      log: flog,
      options: { concurrency: 8, leaseMs: 5 * 60_000, pollMs: 5_000 },
    });
    const backups = services.configBackups;
    services.rollouts.registerKind(
      'firmware',
      firmwareKind({
        appPool: pools.app,
        access: services.deviceAccess,
        cache,
        log: flog,
        // The pre-upgrade backup, as the safe-change engine takes its pre-change one (a session slot a dead process
        // still holds lapses within a minute: tried again rather than failing the upgrade).
        backup: async (ref, actor) => {
          for (let attempt = 1; ; attempt++) {
            const r = await backups.capture(ref, { trigger: 'pre_change', actor });
            if (r.job.status === 'succeeded' && r.version)
              return { version_id: r.version.version_id, sha256: r.version.id };
            if (r.job.error_code !== 'device_sessions_busy' || attempt >= 3)
              throw new StepFailed(
                r.job.error_code ?? 'backup_failed',
                `the pre-upgrade backup failed: ${r.job.error_detail ?? r.job.error_code ?? 'unknown reason'}`,
              );
          }
        },
      }),
    );
    const svc = createFirmwareService({
      appPool: pools.app,
      checker,
      cache,
      rollouts: services.rollouts,
      windows: services.maintenanceWindows,
      topology: services.topology,
      log: flog,
      checkWaitMs: 20_000,
      download: {
        baseUrl: config.FIRMWARE_DOWNLOAD_URL,
        maxBytes: MAX_PACKAGE_BYTES,
        timeoutMs: config.FIRMWARE_DOWNLOAD_TIMEOUT_SECONDS * 1000,
      },
    });
    return Object.assign(svc, { checker });
  },
  routes: (app, { service }) => firmwareRoutes(app, service),
  schedules: ({ config, pools }) => [
    {
      // Every router is due once per interval (one process wins the schedule); workers' checkers do the checks.
      name: 'firmware.check',
      everyMs: config.FIRMWARE_CHECK_INTERVAL_HOURS * 3_600_000,
      run: () => withSystem(pools.system, (db) => firmwareRepo.markAllDue(db)),
    },
  ],
  runners: { worker: async ({ service }) => service.checker.start() },
});

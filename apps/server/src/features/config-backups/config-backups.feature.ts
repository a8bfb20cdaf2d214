import { systemActor } from '../../platform/auth/principal.js';
import { withSystem, withTenant } from '../../platform/db/tx.js';
import { defineFeature } from '../../platform/feature/feature.js';
import { createGitMirror, gitStorePath } from '../../platform/git/mirror.js';
import { useByWorker } from '../../platform/kms/key-use.js';
import { createCodec } from './codec.js';
import { configBackupsRoutes } from './config-backups.routes.js';
import { type ConfigBackupsService, createConfigBackupsService } from './config-backups.service.js';
import { backupFailureCodes } from './failures.js';
import { jobsRepo } from './jobs.repo.js';
import { jobLive, jobMessage, versionLive, versionMessage } from './live.js';
import { createMirrorSync, type MirrorSync } from './mirror.js';
import { createRunner } from './runner.js';
import { schedulerPass } from './schedule.js';
import { settingsRepo } from './settings.repo.js';
import { createStore } from './store.js';
import { versionsRepo } from './versions.repo.js';

const permissions = {
  'config.read': 'viewer',
  'config.backup': 'operator',
  'config.schedule': 'operator',
  /** Exports with secrets, raw exports and binary backups (every secret of the device is in them). */
  'config.secrets': 'admin',
  'config.settings': 'admin',
} as const;

const errors = { ...backupFailureCodes, invalid_schedule: 422, git_remote_invalid: 422 } as const;

const PUSH_EVERY_MS = 60_000;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    configBackups: ConfigBackupsService & { runner: ReturnType<typeof createRunner>; mirror: MirrorSync };
  }
}

// Files are not configuration: TOD's own backup files coming and going must not look like a change to back up.
const isFileChange = (c: unknown) =>
  typeof c === 'object' && c !== null && /^file\b/.test(String((c as { what?: unknown }).what));

/** Configuration backups: capture over SSH (API fallback), versioned store, diffs, schedules, change triggers. */
export const configBackupsFeature = defineFeature({
  name: 'configBackups',
  permissions,
  errors,
  service: ({ config, pools, envelope, services, log }) => {
    const codec = createCodec(envelope);
    const store = createStore({ appPool: pools.app, codec });
    const mirror = createMirrorSync({
      appPool: pools.app,
      codec,
      envelope,
      log: log.child({ feature: 'config-backups' }),
      allowLocalRemotes: config.GIT_ALLOW_LOCAL_REMOTES,
      mirror: createGitMirror({
        root: gitStorePath(config),
        log,
        pushTimeoutMs: config.GIT_PUSH_TIMEOUT_SECONDS * 1000,
        allowLocalRemotes: config.GIT_ALLOW_LOCAL_REMOTES,
      }),
    });
    const runner = createRunner({
      appPool: pools.app,
      systemPool: pools.system,
      access: services.deviceAccess,
      store,
      deviceVersion: async (tenantId, deviceId) =>
        (await services.devices.get(systemActor('config-backups', tenantId), deviceId)).version ?? null,
      log: log.child({ feature: 'config-backups' }),
      options: {
        concurrency: config.BACKUP_CONCURRENCY,
        deadlineMs: config.BACKUP_DEVICE_TIMEOUT_SECONDS * 1000,
        retryBaseMs: config.BACKUP_RETRY_BASE_SECONDS * 1000,
        pollMs: 1000,
      },
    });
    const svc = createConfigBackupsService({
      appPool: pools.app,
      store,
      runner,
      devices: services.devices,
      requestWaitMs: config.BACKUP_REQUEST_WAIT_SECONDS * 1000,
      changeDebounceMs: config.BACKUP_CHANGE_DEBOUNCE_SECONDS * 1000,
      mirror,
    });
    return Object.assign(svc, { runner, mirror });
  },
  routes: (app, { service }) => configBackupsRoutes(app, service),
  runners: { worker: async ({ service }) => service.runner.start() },
  schedules: ({ pools, service, log }) => [
    { name: 'config.backups.schedule', everyMs: 15_000, run: () => schedulerPass(pools.system) },
    {
      name: 'config.backups.retention',
      everyMs: 3_600_000,
      run: async () => {
        const tenants = await settingsRepo.withRetention(pools.system);
        for (const t of tenants)
          await withTenant(pools.app, t.tenant_id, (db) =>
            versionsRepo.prune(db, t.retention_versions, t.retention_days),
          );
        await withSystem(pools.system, (db) => jobsRepo.deleteFinishedBefore(db, 30));
      },
    },
    {
      // Remotes get what the mirror has, at most once a minute per organisation.
      name: 'config.backups.git_push',
      everyMs: PUSH_EVERY_MS,
      run: async () => {
        // One organisation's broken mirror must not hold up the others' pushes.
        for (const tenantId of await settingsRepo.withRemote(pools.system)) {
          try {
            await service.mirror.sync(tenantId, useByWorker('git_mirror'));
            await service.mirror.push(tenantId, useByWorker('git_mirror', 'git_push'));
          } catch (err) {
            log.warn({ err, tenant: tenantId }, 'git mirror sync or push failed');
          }
        }
      },
    },
  ],
  handlers: ({ service }) => [
    {
      name: 'config_backups.git_mirror',
      on: ['config.version_created'],
      async handle(e) {
        if (e.tenantId) await service.mirror.sync(e.tenantId, useByWorker('git_mirror'));
      },
    },
    {
      name: 'config_backups.on_config_change',
      on: ['device.config_changed'],
      async handle(e) {
        if (!e.tenantId || !e.deviceId) return;
        const details = ((e.payload as { details?: { users?: unknown; changes?: unknown } } | null)?.details ?? {}) as {
          users?: unknown;
          changes?: unknown;
        };
        const changes = (Array.isArray(details.changes) ? details.changes : []).filter((c) => !isFileChange(c));
        if (Array.isArray(details.changes) && details.changes.length > 0 && changes.length === 0) return;
        const users = [...new Set(changes.map((c) => String((c as { user?: unknown }).user ?? '')).filter(Boolean))];
        await service.changeSeen({ tenantId: e.tenantId, deviceId: e.deviceId }, { users, changes });
      },
    },
  ],
  live: {
    'config.job': { permission: 'config.read', events: 'config.job_updated', message: jobLive, schema: jobMessage },
    'config.version': {
      permission: 'config.read',
      events: 'config.version_created',
      message: versionLive,
      schema: versionMessage,
    },
  },
});

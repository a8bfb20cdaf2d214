import { systemActor } from '../../platform/auth/principal.js';
import { defineFeature } from '../../platform/feature/feature.js';
import type { RolloutKind } from './kinds.js';
import { progressLive, progressMessage } from './live.js';
import { rolloutsRoutes } from './rollouts.routes.js';
import { createRolloutsService, type RolloutsService } from './rollouts.service.js';
import { createRolloutRunner, type RolloutRunner } from './runner.js';

const permissions = {
  'rollouts.read': 'viewer',
  /** Start (with the starting feature's own permission), pause, resume, cancel, retry. */
  'rollouts.control': 'operator',
} as const;

const errors = {
  rollout_state: 409,
  no_targets: 422,
  target_not_found: 422,
  too_many_targets: 422,
  /** The stop time (stop_at) has passed. */
  rollout_stop_past: 422,
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    rollouts: RolloutsService & { runner: RolloutRunner };
  }
}

/** Rollouts: one durable engine that runs a step on many devices in waves (templates, bulk commands, firmware…). */
export const rolloutsFeature = defineFeature({
  name: 'rollouts',
  permissions,
  errors,
  service: ({ config, pools, envelope, services, log }) => {
    const kinds = new Map<string, RolloutKind>();
    const runner = createRolloutRunner({
      appPool: pools.app,
      systemPool: pools.system,
      envelope,
      changes: services.changes,
      kinds,
      log: log.child({ feature: 'rollouts' }),
      options: { leaseMs: config.ROLLOUT_LEASE_SECONDS * 1000, pollMs: 500, maxSteps: config.ROLLOUT_CONCURRENCY },
      afterComplete: async (r) => {
        if (!r.options.backup_after || !kinds.get(r.kind)?.changes) return;
        const done = await svc.devices(systemActor('rollouts', r.tenant_id), r.id);
        const ids = done.filter((d) => d.status === 'done').map((d) => d.device_id);
        if (ids.length) await services.configBackups.backupMany(systemActor(`rollout:${r.id}`, r.tenant_id), ids);
      },
    });
    const svc = createRolloutsService({
      appPool: pools.app,
      envelope,
      kinds,
      kick: () => {
        runner.tick().catch(() => {});
      },
      backupMany: (actor, ids) => services.configBackups.backupMany(actor, ids),
      keep: (actor, deviceId, operationId) => services.changes.confirm(actor, deviceId, operationId),
    });
    return Object.assign(svc, { runner });
  },
  routes: (app, { service }) => rolloutsRoutes(app, service),
  runners: { worker: async ({ service }) => service.runner.start() },
  live: {
    'rollout.progress': {
      permission: 'rollouts.read',
      events: 'rollout.*',
      message: progressLive,
      schema: progressMessage,
    },
  },
});

import { systemActor } from '../../platform/auth/principal.js';
import { defineFeature } from '../../platform/feature/feature.js';
import { useByWorker } from '../../platform/kms/key-use.js';
import { changesRoutes } from './changes.routes.js';
import { type ChangesService, createChangesService } from './changes.service.js';
import { type Backups, createEngine, type Planner } from './engine.js';
import { operationLive, operationMessage } from './live.js';
import { planners } from './planners.js';
import { createOperationRunner, type OperationRunner } from './runner.js';

const permissions = {
  'changes.read': 'viewer',
  /** Edits, restores, rollbacks, Keep and Revert. */
  'changes.apply': 'operator',
} as const;

const errors = {
  operation_in_progress: 409,
  operation_not_awaiting: 409,
  operation_finished: 409,
  invalid_change: 422,
  nothing_to_roll_back: 409,
  no_backup: 409,
  menu_not_found: 404,
  confirmation_mismatch: 422,
  no_binary_backup: 409,
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    changes: ChangesService & { runner: OperationRunner; registerPlanner: (kind: string, planner: Planner) => void };
  }
}

/** Safe changes: every change to a router is an operation of the one apply-with-revert engine. */
export const changesFeature = defineFeature({
  name: 'changes',
  permissions,
  errors,
  service: ({ config, pools, envelope, services, log }) => {
    const cb = services.configBackups;
    // The engine reads backups to plan, prove and undo changes (in the worker that runs the operation).
    const restoring = useByWorker('change', 'restore');
    const backups: Backups = {
      async capture(ref, trigger) {
        // Slots a dead process still holds lapse within a minute: wait them out rather than fail the change.
        for (let attempt = 1; ; attempt++) {
          const r = await cb.capture(ref, { trigger, actor: systemActor('changes', ref.tenantId) });
          if (r.job.status === 'succeeded' && r.version) {
            const { text } = await cb.versionText(ref, r.version.id, restoring);
            return { versionId: r.version.version_id, sha256: r.version.id, text };
          }
          if (r.job.error_code !== 'device_sessions_busy' || attempt >= 3)
            throw Object.assign(new Error(r.job.error_detail ?? r.job.error_code ?? 'the backup failed'), {
              code: r.job.error_code ?? undefined,
            });
        }
      },
      text: async (ref, sha) => (await cb.versionText(ref, sha, restoring)).text,
      binary: (ref, sha) => cb.versionBinary(ref, sha, restoring),
    };
    const plannerMap = planners(backups);
    const engine = createEngine({
      appPool: pools.app,
      access: services.deviceAccess,
      envelope,
      backups,
      planners: plannerMap,
      log: log.child({ feature: 'changes' }),
      options: {
        revertWaitMs: config.CHANGE_REVERT_WAIT_SECONDS * 1000,
        confirmPollMs: 250,
        applySeconds: config.CHANGE_APPLY_SECONDS,
        verifySeconds: config.CHANGE_VERIFY_SECONDS,
        graceSeconds: config.CHANGE_WATCHDOG_GRACE_SECONDS,
        slotWaitSeconds: config.DEVICE_SESSION_LEASE_SECONDS + 15,
      },
    });
    const runner = createOperationRunner({
      appPool: pools.app,
      systemPool: pools.system,
      engine,
      access: services.deviceAccess,
      log: log.child({ feature: 'changes' }),
      options: { leaseMs: config.CHANGE_LEASE_SECONDS * 1000, pollMs: 500, concurrency: config.CHANGE_CONCURRENCY },
    });
    const svc = createChangesService({
      appPool: pools.app,
      devices: services.devices,
      access: services.deviceAccess,
      backups: cb,
      // A worker in this process starts the operation now rather than at its next claim (other processes poll).
      kick: () => {
        runner.tick().catch(() => {});
      },
    });
    /** A later feature (templates, firmware…) adds its kind of operation here, then calls submitOperation. */
    const registerPlanner = (kind: string, planner: Planner) => {
      if (plannerMap.has(kind)) throw new Error(`a planner for ${kind} exists`);
      plannerMap.set(kind, planner);
    };
    return Object.assign(svc, { runner, registerPlanner });
  },
  routes: (app, { service }) => changesRoutes(app, service),
  runners: { worker: async ({ service }) => service.runner.start() },
  live: {
    'change.operation': {
      permission: 'changes.read',
      events: 'change.operation_updated',
      message: operationLive,
      schema: operationMessage,
    },
  },
});

import { defineFeature } from '../../platform/feature/feature.js';
import { bulkCommandsRoutes } from './bulk-commands.routes.js';
import { type BulkCommandsService, createBulkCommandsService } from './bulk-commands.service.js';
import { bulkCommandPlanner, PLANNER_KIND, registerBulkKinds } from './rollout-kinds.js';

const permissions = {
  /** Outputs of past runs (secrets masked). */
  'bulk_commands.read': 'viewer',
  /** Start a run; one with changes or actions also needs changes.apply. */
  'bulk_commands.run': 'operator',
  /** Allow deny-listed commands (reboot, /user, …) for one run. */
  'bulk_commands.allow': 'admin',
} as const;

// The codes of a text that cannot run (issues.ts), and an allow asked for without the role.
const errors = {
  command_syntax: 422,
  command_unsupported: 422,
  command_denied: 422,
  commands_too_large: 422,
  command_allow_forbidden: 403,
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    bulkCommands: BulkCommandsService;
  }
}

/** Bulk commands: RouterOS CLI text run on many devices as a rollout, outputs grouped by identical result. */
export const bulkCommandsFeature = defineFeature({
  name: 'bulkCommands',
  permissions,
  errors,
  service: ({ pools, envelope, services }) => {
    services.changes.registerPlanner(PLANNER_KIND, bulkCommandPlanner(envelope));
    registerBulkKinds(services.rollouts, { access: services.deviceAccess, envelope });
    return createBulkCommandsService({ appPool: pools.app, rollouts: services.rollouts });
  },
  routes: (app, { service }) => bulkCommandsRoutes(app, service),
});

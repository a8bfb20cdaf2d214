import { defineFeature } from '../../platform/feature/feature.js';
import { usersRoutes } from './users.routes.js';
import { createUsersService, type UsersService } from './users.service.js';

const permissions = {
  'users.list': 'admin',
  'users.read': 'admin',
  'users.create': 'admin',
  'users.update': 'admin',
  'users.delete': 'admin',
} as const;
const errors = { email_taken: 409, cannot_modify_self: 403 } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    users: UsersService;
  }
}

export const usersFeature = defineFeature({
  name: 'users',
  permissions,
  errors,
  service: ({ pools, services }) =>
    createUsersService({ appPool: pools.app, revokeUserSessions: services.auth.revokeUserSessions }),
  routes: (app, { service }) => usersRoutes(app, service),
});

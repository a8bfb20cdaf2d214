import { defineFeature } from '../../platform/feature/feature.js';
import { remoteAccessRoutes } from './remote-access.routes.js';
import { createRemoteAccessService, type RemoteAccessService } from './remote-access.service.js';

const permissions = {
  'remote.connect': 'operator',
  'remote.sessions.read': 'operator',
  'remote.sessions.end_any': 'admin',
  'remote.transcripts.read': 'admin',
  'remote.settings.write': 'admin',
} as const;

const errors = {
  remote_token_invalid: 401,
  remote_device_disabled: 409,
  remote_session_limit: 429,
  winbox_pool_exhausted: 503,
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    remoteAccess: RemoteAccessService;
  }
}

/**
 * Remote access: a browser terminal (SSH through device access, a single-use WebSocket token) and WinBox tunnels
 * (WINBOX_PORT_RANGE on WINBOX_BIND_ADDRESS), with sessions per device, idle and lifetime limits, transcripts.
 */
export const remoteAccessFeature = defineFeature({
  name: 'remoteAccess',
  permissions,
  errors,
  service: ({ config, pools, envelope, log, services }) =>
    createRemoteAccessService({
      appPool: pools.app,
      systemPool: pools.system,
      envelope,
      log,
      deviceAccess: services.deviceAccess,
      options: {
        winbox: {
          first: config.WINBOX_PORT_RANGE.first,
          last: config.WINBOX_PORT_RANGE.last,
          bindHost: config.WINBOX_BIND_ADDRESS,
          ...(config.WINBOX_PUBLIC_HOST ? { publicHost: config.WINBOX_PUBLIC_HOST } : {}),
        },
      },
    }),
  routes: (app, { service }) => remoteAccessRoutes(app, service),
  // The upkeep loop (heartbeats, requested ends, sessions of crashed processes) runs in every API process.
  runners: {
    api: async ({ service }) => {
      service.registry.start();
      return { stop: () => service.stop() };
    },
  },
  close: (service) => service.stop(),
});

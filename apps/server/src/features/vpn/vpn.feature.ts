import { defineFeature } from '../../platform/feature/feature.js';
import { createHubWriter, type HubWriter } from './hub-files.js';
import { KIND, vpnPeerPlanner } from './planner.js';
import { type VpnSettings, vpnSettings } from './settings.js';
import { readStatus } from './status.js';
import { vpnRoutes } from './vpn.routes.js';
import { createVpnService, type VpnService } from './vpn.service.js';

// Who may: anyone in the organisation sees the hub and its peers' status (public keys and addresses only); making
// peers is an admin's, because it answers a router's private key (shown once, to the person who made it). Applying
// through the engine also needs changes.apply.
const permissions = { 'vpn.read': 'viewer', 'vpn.write': 'admin' } as const;
const errors = {
  /** No public endpoint for routers to dial (WIREGUARD_ENDPOINT, or the hub's endpoint host). */
  vpn_not_configured: 409,
  /** WIREGUARD_NETWORK or WIREGUARD_LISTEN_PORTS has no room for another organisation. */
  vpn_pool_exhausted: 409,
  /** The organisation's block has no free address. */
  vpn_block_full: 409,
  vpn_peer_exists: 409,
  /** RouterOS before 7 has no WireGuard. */
  vpn_unsupported: 422,
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    vpn: VpnService & { files: HubWriter; settings: VpnSettings };
  }
}

const PEER_EVENTS = ['vpn.peers_changed', 'vpn.hub_changed'];

/** WireGuard onboarding: a hub per organisation, peers per device, the hub's files, status from `wg`. */
export const vpnFeature = defineFeature({
  name: 'vpn',
  permissions,
  errors,
  service: ({ config, pools, envelope, services, log }) => {
    const settings = vpnSettings(config);
    services.changes.registerPlanner(KIND, vpnPeerPlanner({ envelope, settings, devices: services.devices }));
    const files = createHubWriter({
      systemPool: pools.system,
      envelope,
      settings,
      log: log.child({ feature: 'vpn' }),
    });
    const svc = createVpnService({
      appPool: pools.app,
      systemPool: pools.system,
      envelope,
      settings,
      devices: services.devices,
      changes: services.changes,
    });
    return Object.assign(svc, { files, settings });
  },
  routes: (app, { service }) => vpnRoutes(app, service),
  handlers: ({ service }) => [
    {
      // Once per change, in one worker: the organisation's hub file (and the firewall, which names every hub).
      name: 'vpn.hub_file',
      on: PEER_EVENTS,
      async handle(e) {
        if (e.tenantId) await service.files.write({ tenantId: e.tenantId });
      },
    },
  ],
  schedules: ({ service, pools }) => [
    // Everything, now and then: peers of deleted devices, files of deleted organisations, a wiped directory.
    { name: 'vpn.hub_files', everyMs: 5 * 60_000, run: () => service.files.write('all') },
    { name: 'vpn.status', everyMs: 30_000, run: () => readStatus(pools.system, service.settings) },
  ],
});

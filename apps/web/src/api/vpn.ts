import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { deviceKeys } from './devices';
import { fleetKeys } from './fleet';
import { inventoryKeys } from './inventory';
import { mutation } from './mutation';
import type { Body, Json } from './types';

// The organisation's WireGuard hub and its peers. Onboarding answers a router's private key inside its commands:
// the answer is shown once and never cached (it is not a query).

const HUB = '/api/tenants/{tenant_id}/vpn';
const PEERS = '/api/tenants/{tenant_id}/vpn/peers';
const PEER = '/api/tenants/{tenant_id}/vpn/peers/{peer_id}';
const ONBOARD = '/api/tenants/{tenant_id}/vpn/onboard';
export type VpnHub = Json<typeof HUB, 'get', 200>;
export type HubSettings = Body<typeof HUB, 'put'>;
export type VpnPeer = Json<typeof PEERS, 'get', 200>['items'][number];
export type NewPeer = Body<typeof PEERS, 'post'>;
export type PeerCreated = Json<typeof PEERS, 'post', 201>;
export type OnboardBody = Body<typeof ONBOARD, 'post'>;
export type Onboarded = Json<typeof ONBOARD, 'post', 201>;

export const vpnKeys = {
  all: (t: string) => ['vpn', t] as const,
  hub: (t: string) => ['vpn', t, 'hub'] as const,
  peers: (t: string) => ['vpn', t, 'peers'] as const,
};

// Handshakes are read from the hub every 30 s: the page follows at that pace.
const STATUS_MS = 30_000;

export function vpnHubQuery(tenantId: string) {
  return queryOptions({
    queryKey: vpnKeys.hub(tenantId),
    queryFn: () => unwrap(api.GET(HUB, { params: { path: { tenant_id: tenantId } } })),
    refetchInterval: STATUS_MS,
  });
}

export function vpnPeersQuery(tenantId: string) {
  return queryOptions({
    queryKey: vpnKeys.peers(tenantId),
    queryFn: () => unwrap(api.GET(PEERS, { params: { path: { tenant_id: tenantId }, query: { limit: 1000 } } })),
    refetchInterval: STATUS_MS,
  });
}

export const saveHub = mutation({
  run: (v: { tenantId: string; body: HubSettings }) =>
    unwrap(api.PUT(HUB, { params: { path: { tenant_id: v.tenantId } }, body: v.body })),
  invalidates: (v) => [vpnKeys.all(v.tenantId)],
});

export const onboardDevice = mutation({
  run: (v: { tenantId: string; body: OnboardBody }) =>
    unwrap(api.POST(ONBOARD, { params: { path: { tenant_id: v.tenantId } }, body: v.body })),
  // A new device: the device list, fleet counts and the inventory's device counts change too.
  invalidates: (v) => [
    vpnKeys.all(v.tenantId),
    deviceKeys.all(v.tenantId),
    fleetKeys.all(v.tenantId),
    inventoryKeys.all(v.tenantId),
  ],
});

export const createPeer = mutation({
  run: (v: { tenantId: string; body: NewPeer }) =>
    unwrap(api.POST(PEERS, { params: { path: { tenant_id: v.tenantId } }, body: v.body })),
  invalidates: (v) => [vpnKeys.all(v.tenantId)],
});

export const deletePeer = mutation({
  run: (v: { tenantId: string; peer: VpnPeer }) =>
    unwrap(api.DELETE(PEER, { params: { path: { tenant_id: v.tenantId, peer_id: v.peer.id } } })),
  invalidates: (v) => [vpnKeys.all(v.tenantId)],
});

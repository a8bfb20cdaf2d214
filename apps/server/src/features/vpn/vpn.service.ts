import type pg from 'pg';
import { assertCan, can } from '../../platform/auth/permissions.js';
import { type Actor, systemActor } from '../../platform/auth/principal.js';
import { withSystem, withTenant } from '../../platform/db/tx.js';
import { eventActor, recordEvent } from '../../platform/events/index.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useBy } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ChangesService } from '../changes/changes.service.js';
import type { DevicesService } from '../devices/devices.service.js';
import { firstFreeHost, firstFreePlacement } from './addressing.js';
import { generateKeyPair } from './keys.js';
import { createOnboarding } from './onboard.js';
import type { PeerKeys } from './peer-keys.js';
import { KIND } from './planner.js';
import { ROUTER_LISTEN_PORT, routerSide, terminalLines } from './routeros.js';
import { hubKeyContext } from './seal.js';
import type { VpnSettings } from './settings.js';
import { type HubRow, type PeerRow, vpnRepo } from './vpn.repo.js';
import type { HubBody, HubOut, OnboardBody, PeerBody, PeerOut } from './vpn.schema.js';

export type VpnDeps = {
  appPool: pg.Pool;
  systemPool: pg.Pool;
  envelope: Envelope;
  settings: VpnSettings;
  devices: DevicesService;
  changes: Pick<ChangesService, 'submitOperation'>;
};

// A handshake at least every two minutes keeps a WireGuard session up (keepalive 25 s): older means not connected.
const CONNECTED_MS = 3 * 60_000;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const connected = (p: PeerRow, now = Date.now()) =>
  p.last_handshake_at !== null && now - p.last_handshake_at.getTime() < CONNECTED_MS;

export function presentPeer(p: PeerRow): PeerOut {
  return {
    id: p.id,
    device_id: p.device_id,
    device_name: p.device_name,
    address: p.address,
    public_key: p.public_key,
    preshared_key: p.preshared_key_enc !== null,
    created_at: p.created_at.toISOString(),
    status: {
      connected: connected(p),
      last_handshake_at: iso(p.last_handshake_at),
      rx_bytes: p.rx_bytes === null ? null : Number(p.rx_bytes),
      tx_bytes: p.tx_bytes === null ? null : Number(p.tx_bytes),
      endpoint: p.endpoint,
      status_at: iso(p.status_at),
    },
  };
}

export function createVpnService(deps: VpnDeps) {
  const tenantOf = (a: Actor) => a.tenantId as string;
  const inTenant = <T>(a: Actor, fn: (db: pg.PoolClient) => Promise<T>) => withTenant(deps.appPool, tenantOf(a), fn);
  const endpointOf = (hub: Pick<HubRow, 'endpoint_host'>) => hub.endpoint_host ?? deps.settings.endpoint ?? null;

  /**
   * The organisation's hub, made on first use: a key pair and the lowest free slot of the pool. Not for peers while
   * routers would have no endpoint to dial (409 first, rather than a hub made by a request that fails).
   */
  async function ensureHub(actor: Actor, forPeers = false): Promise<void> {
    const tenantId = tenantOf(actor);
    if (forPeers && !deps.settings.endpoint) {
      const hub = await inTenant(actor, (db) => vpnRepo.hub(db));
      requireEndpoint(hub ?? { endpoint_host: null });
    }
    // Two organisations may pick the same free slot at once: the unique constraints refuse one, which tries again.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await inTenant(actor, (db) => vpnRepo.hub(db))) return;
      const taken = await withSystem(deps.systemPool, (db) => vpnRepo.systemTaken(db));
      const place = firstFreePlacement(deps.settings.pool, taken);
      if (!place) throw new AppError('vpn_pool_exhausted', 'WIREGUARD_NETWORK or WIREGUARD_LISTEN_PORTS is full');
      const keys = generateKeyPair();
      const sealed = await deps.envelope.encrypt(
        tenantId,
        keys.privateKey,
        hubKeyContext(tenantId),
        useBy(actor, 'vpn.hub'),
      );
      try {
        await inTenant(actor, async (db) => {
          await vpnRepo.insertHub(db, {
            tenant_id: tenantId,
            slot: place.slot,
            interface: place.interface,
            listen_port: place.listenPort,
            network: place.network,
            hub_address: place.hubAddress,
            public_key: keys.publicKey,
            private_key_enc: sealed,
          });
          await recordAudit(db, actor, {
            action: 'vpn.hub_create',
            targetType: 'vpn_hub',
            targetId: tenantId,
            details: { interface: place.interface, listen_port: place.listenPort, network: place.network },
          });
          await recordEvent(db, {
            type: 'vpn.hub_changed',
            tenantId,
            payload: { interface: place.interface },
            actor: eventActor(actor),
          });
        });
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== '23505') throw e;
      }
    }
    throw new AppError('vpn_pool_exhausted', 'no free place for the hub: try again');
  }

  /** Where routers dial the hub, or 409 when routers cannot be given commands yet (no endpoint to dial). */
  function requireEndpoint(hub: Pick<HubRow, 'endpoint_host'>): string {
    const endpoint = endpointOf(hub);
    if (!endpoint)
      throw new AppError(
        'vpn_not_configured',
        'no public endpoint for routers to dial: set WIREGUARD_ENDPOINT on the server or endpoint_host (PUT /vpn)',
      );
    return endpoint;
  }

  async function freeAddress(db: pg.PoolClient, hub: HubRow): Promise<string> {
    const address = firstFreeHost(hub.network, await vpnRepo.addresses(db));
    if (!address) throw new AppError('vpn_block_full', `the organisation's block ${hub.network} has no free address`);
    return address;
  }

  const recordPeerChange = async (db: pg.PoolClient, actor: Actor, action: string, p: Record<string, string>) => {
    await recordAudit(db, actor, { action, targetType: 'vpn_peer', targetId: p.peer_id, details: p });
    await recordEvent(db, {
      type: 'vpn.peers_changed',
      tenantId: tenantOf(actor),
      deviceId: p.device_id ?? null,
      payload: p,
      actor: eventActor(actor),
    });
  };

  /** The terminal lines for a peer (they hold its private key: answered once, to the person who made it). */
  const linesFor = (hub: HubRow, endpoint: string, address: string, keys: PeerKeys, ports: number[]) =>
    terminalLines(routerSide(hub, endpoint, { address, keys, listenPort: ROUTER_LISTEN_PORT, managementPorts: ports }));

  const onboarding = createOnboarding({
    ...deps,
    ensureHub,
    requireEndpoint,
    freeAddress,
    recordPeerChange,
    linesFor,
  });

  async function getHub(actor: Actor): Promise<HubOut> {
    assertCan(actor, 'vpn.read');
    const { hub, peers } = await inTenant(actor, async (db) => ({
      hub: await vpnRepo.hub(db),
      peers: await vpnRepo.peers(db),
    }));
    const write = can(actor.principal, 'vpn.write');
    const endpoint = hub ? endpointOf(hub) : (deps.settings.endpoint ?? null);
    return {
      configured: hub !== undefined,
      hub: hub
        ? {
            interface: hub.interface,
            public_key: hub.public_key,
            listen_port: hub.listen_port,
            network: hub.network,
            hub_address: hub.hub_address,
            endpoint_host: endpoint,
            endpoint_host_override: hub.endpoint_host,
            keepalive_seconds: hub.keepalive_seconds,
            router_interface: hub.router_interface,
            created_at: hub.created_at.toISOString(),
            updated_at: hub.updated_at.toISOString(),
          }
        : null,
      peers_count: peers.length,
      connected_count: peers.filter((p) => connected(p)).length,
      status: {
        applied_at: iso(hub?.applied_at ?? null),
        apply_error: hub?.apply_error ?? null,
        status_at: iso(hub?.status_at ?? null),
      },
      onboarding: {
        available: endpoint !== null,
        reason: endpoint === null ? 'no public endpoint: set WIREGUARD_ENDPOINT or this hub’s endpoint host' : null,
      },
      policies: { write },
    };
  }

  async function deletePeer(actor: Actor, peerId: string) {
    assertCan(actor, 'vpn.write');
    await inTenant(actor, async (db) => {
      const peer = await vpnRepo.peer(db, peerId);
      if (!peer || !(await vpnRepo.deletePeer(db, peerId))) throw notFound('peer');
      await recordPeerChange(db, actor, 'vpn.peer_delete', {
        peer_id: peerId,
        device_id: peer.device_id,
        address: peer.address,
      });
    });
  }

  return {
    hub: getHub,
    deletePeer,

    async putHub(actor: Actor, body: HubBody): Promise<HubOut> {
      assertCan(actor, 'vpn.write');
      await ensureHub(actor);
      const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      if (Object.keys(changes).length > 0)
        await inTenant(actor, async (db) => {
          await vpnRepo.updateHub(db, changes);
          await recordAudit(db, actor, {
            action: 'vpn.hub_update',
            targetType: 'vpn_hub',
            targetId: tenantOf(actor),
            details: changes,
          });
          await recordEvent(db, {
            type: 'vpn.hub_changed',
            tenantId: tenantOf(actor),
            payload: changes as Record<string, string | number | null>,
            actor: eventActor(actor),
          });
        });
      return getHub(actor);
    },

    async peers(actor: Actor, q: { limit: number; offset: number }) {
      assertCan(actor, 'vpn.read');
      const all = await inTenant(actor, (db) => vpnRepo.peers(db));
      return {
        items: all.slice(q.offset, q.offset + q.limit).map(presentPeer),
        total: all.length,
        limit: q.limit,
        offset: q.offset,
      };
    },

    /** A peer for an existing device: its commands, or (apply) an operation that runs them on the router. */
    async createPeer(actor: Actor, body: PeerBody) {
      assertCan(actor, 'vpn.write');
      if (body.apply) assertCan(actor, 'changes.apply');
      const device = await deps.devices.get(systemActor('vpn', tenantOf(actor)), body.device_id);
      if (device.version && Number.parseInt(device.version, 10) < 7)
        throw new AppError('vpn_unsupported', `RouterOS ${device.version} has no WireGuard: it came with RouterOS 7`);
      await ensureHub(actor, true);
      const made = await onboarding.peerFor(actor, body.device_id, body.preshared_key, [
        device.port,
        device.tls_port,
        device.ssh_port,
      ]);
      if (!body.apply) return { ...made, operation_id: null };
      try {
        const op = await deps.changes.submitOperation(actor, body.device_id, {
          kind: KIND,
          mode: body.mode,
          request: { peer_id: made.peer_id },
          summary: `WireGuard: join the organisation's hub as ${made.address}`,
        });
        return { ...made, routeros_commands: null, operation_id: op.operation_id };
      } catch (e) {
        // Nothing will configure the router: the peer goes again, so the device can be tried later.
        await deletePeer(actor, made.peer_id).catch(() => {});
        throw e;
      }
    },

    /** A new device and its peer in one transaction; the commands that join the router to the hub. */
    onboard: (actor: Actor, body: OnboardBody) => onboarding.onboard(actor, body),
  };
}

export type VpnService = ReturnType<typeof createVpnService>;

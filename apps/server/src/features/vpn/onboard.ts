import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { useBy } from '../../platform/kms/key-use.js';
import { insertDevice } from '../devices/device-insert.js';
import { deviceWrite } from '../devices/device-write.js';
import { makePeerKeys, type PeerKeys, type SealedPeerKeys } from './peer-keys.js';
import { type HubRow, vpnRepo } from './vpn.repo.js';
import type { OnboardBody } from './vpn.schema.js';
import type { VpnDeps } from './vpn.service.js';

// Peers are made with the hub row locked (FOR UPDATE), so two at once in one organisation never pick the same
// address. Onboarding makes the device and its peer in one transaction: through the devices feature's repository,
// with the devices feature's own insert (references checked, groups, tags, audit), so either both exist or neither.

type Helpers = {
  ensureHub: (actor: Actor, forPeers: boolean) => Promise<void>;
  requireEndpoint: (hub: Pick<HubRow, 'endpoint_host'>) => string;
  freeAddress: (db: pg.PoolClient, hub: HubRow) => Promise<string>;
  recordPeerChange: (db: pg.PoolClient, actor: Actor, action: string, p: Record<string, string>) => Promise<void>;
  linesFor: (hub: HubRow, endpoint: string, address: string, keys: PeerKeys, ports: number[]) => string[];
};

export function createOnboarding(deps: VpnDeps & Helpers) {
  const tenantOf = (a: Actor) => a.tenantId as string;
  const inTenant = <T>(a: Actor, fn: (db: pg.PoolClient) => Promise<T>) => withTenant(deps.appPool, tenantOf(a), fn);

  /** The locked hub and where routers dial it; 404 never happens after ensureHub, but RLS may still hide it. */
  async function lockedHub(db: pg.PoolClient) {
    const hub = await vpnRepo.hub(db, { lock: true });
    if (!hub) throw notFound('hub');
    return { hub, endpoint: deps.requireEndpoint(hub) };
  }

  /** The device's peer stored and recorded, and what the router is to be told (its commands, shown once). */
  async function addPeer(
    db: pg.PoolClient,
    actor: Actor,
    p: { peerId: string; deviceId: string; address: string; keys: { publicKey: string }; sealed: SealedPeerKeys },
    routeros_commands: string[],
  ) {
    await vpnRepo.insertPeer(db, {
      id: p.peerId,
      tenant_id: tenantOf(actor),
      device_id: p.deviceId,
      address: p.address,
      public_key: p.keys.publicKey,
      ...p.sealed,
    });
    await deps.recordPeerChange(db, actor, 'vpn.peer_create', {
      peer_id: p.peerId,
      device_id: p.deviceId,
      address: p.address,
    });
    return { peer_id: p.peerId, device_id: p.deviceId, address: p.address, routeros_commands };
  }

  return {
    async peerFor(actor: Actor, deviceId: string, withPsk: boolean, ports: number[]) {
      const peerId = randomUUID();
      const { keys, sealed } = await makePeerKeys(
        deps.envelope,
        tenantOf(actor),
        peerId,
        withPsk,
        useBy(actor, 'vpn.peer'),
      );
      return inTenant(actor, async (db) => {
        const { hub, endpoint } = await lockedHub(db);
        if (await vpnRepo.peerOfDevice(db, deviceId))
          throw new AppError('vpn_peer_exists', 'the device already has a peer: delete it first to make a new one');
        const address = await deps.freeAddress(db, hub);
        return addPeer(
          db,
          actor,
          { peerId, deviceId, address, keys, sealed },
          deps.linesFor(hub, endpoint, address, keys, ports),
        );
      });
    },

    async onboard(actor: Actor, body: OnboardBody) {
      assertCan(actor, 'vpn.write');
      assertCan(actor, 'devices.write');
      await deps.ensureHub(actor, true);
      const tenantId = tenantOf(actor);
      const deviceId = randomUUID();
      const peerId = randomUUID();
      const { preshared_key: withPsk, ...device } = body;
      const { keys, sealed } = await makePeerKeys(
        deps.envelope,
        tenantId,
        peerId,
        withPsk,
        useBy(actor, 'vpn.onboard'),
      );
      const write = await deviceWrite(
        deps.envelope,
        tenantId,
        deviceId,
        { ...device, host: 'pending' },
        useBy(actor, 'vpn.onboard'),
      );
      return inTenant(actor, async (db) => {
        const { hub, endpoint } = await lockedHub(db);
        const address = await deps.freeAddress(db, hub);
        await insertDevice(
          db,
          actor,
          deviceId,
          body,
          { ...write, host: address },
          {
            name: body.name,
            host: address,
            port: body.port,
            probe: 'skipped',
            via: 'vpn.onboard',
          },
        );
        const ports = [body.port, body.tls_port, body.ssh_port];
        return addPeer(
          db,
          actor,
          { peerId, deviceId, address, keys, sealed },
          deps.linesFor(hub, endpoint, address, keys, ports),
        );
      });
    },
  };
}

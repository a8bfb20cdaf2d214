import { systemActor } from '../../platform/auth/principal.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useByWorker } from '../../platform/kms/key-use.js';
import type { Where } from '../changes/commands.js';
import { whereOf } from '../changes/device-io.js';
import { OperationFailed, type Planner } from '../changes/engine.js';
import type { DevicesService } from '../devices/devices.service.js';
import { openPeerKeys } from './peer-keys.js';
import { ROUTER_LISTEN_PORT, routerCommands, routerSide } from './routeros.js';
import type { VpnSettings } from './settings.js';
import { vpnRepo } from './vpn.repo.js';

// `vpn_peer` operations: the onboarding commands for an existing device, planned when the operation runs (after the
// pre-change backup, on its session). The request names only the peer: its keys are read and opened here, so no
// secret is in the operation's request (the engine seals the planned commands, and shows them with keys masked).

export const KIND = 'vpn_peer';
type Row = Record<string, string>;

export function vpnPeerPlanner(deps: {
  envelope: Envelope;
  settings: Pick<VpnSettings, 'endpoint'>;
  devices: DevicesService;
}): Planner {
  return async ({ op, ref, io, tenantDb }) => {
    const peerId = String((op.request as { peer_id?: unknown }).peer_id ?? '');
    const { hub, peer } = await tenantDb(async (db) => ({
      hub: await vpnRepo.hub(db),
      peer: await vpnRepo.peer(db, peerId),
    }));
    if (!hub || !peer || peer.device_id !== ref.deviceId)
      throw new OperationFailed('not_found', 'the peer was deleted before the change ran');
    const endpoint = hub.endpoint_host ?? deps.settings.endpoint;
    if (!endpoint) throw new OperationFailed('vpn_not_configured', 'no public endpoint for routers to dial');

    const print = async (path: string) => {
      io.trips.n++;
      return (await io.client.command(`${path}/print`)) as Row[];
    };
    io.trips.n++;
    const [resource] = (await io.client.command('/system/resource/print')) as Row[];
    if (Number.parseInt(resource?.version ?? '', 10) < 7)
      throw new OperationFailed(
        'vpn_unsupported',
        `RouterOS ${resource?.version ?? '?'} has no WireGuard (RouterOS 7+)`,
      );
    const [interfaces, filters] = await Promise.all([print('/interface/wireguard'), print('/ip/firewall/filter')]);
    if (interfaces.some((i) => i.name === hub.router_interface))
      throw new OperationFailed(
        'vpn_peer_exists',
        `the router already has a WireGuard interface ${hub.router_interface}: remove it, or rename the hub's`,
      );
    // The router dials out; its own listen port only has to be free.
    const used = new Set(interfaces.map((i) => Number(i['listen-port'])));
    let listenPort = ROUTER_LISTEN_PORT;
    while (used.has(listenPort)) listenPort++;
    // Above the first input rule (any drop comes after it); an empty input chain needs no place.
    const firstInput = filters.find((r) => r.chain === 'input' && r.dynamic !== 'true');
    const firewallBefore: Where | undefined = firstInput
      ? whereOf('/ip/firewall/filter', firstInput, filters)
      : undefined;

    const device = await deps.devices.get(systemActor('vpn', ref.tenantId), ref.deviceId);
    const keys = await openPeerKeys(deps.envelope, ref.tenantId, peer, useByWorker('changes', 'vpn.apply'));
    const commands = routerCommands({
      ...routerSide(hub, endpoint, {
        address: peer.address,
        keys,
        listenPort,
        managementPorts: [device.port, device.tls_port, device.ssh_port],
      }),
      ...(firewallBefore ? { firewallBefore } : {}),
    });
    return { commands, summary: `WireGuard: ${hub.router_interface} to the hub, ${peer.address}` };
  };
}

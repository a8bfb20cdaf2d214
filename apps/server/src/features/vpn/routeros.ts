import { type PlannedCommand, planned, type Where } from '../changes/commands.js';
import type { PeerKeys } from './peer-keys.js';
import type { HubRow } from './vpn.repo.js';

// What a RouterOS 7 router needs to join its organisation's hub (`/interface wireguard` exists from 7.1): its own
// WireGuard interface and key, the hub as its one peer (it dials the hub's public endpoint and keeps the tunnel
// open, so a router behind NAT works), its /32 of the block on that interface, and an input rule accepting TOD's
// API and SSH from the hub address, placed above the input chain's drops. The same commands are shown as terminal
// lines (onboarding) and sent through the safe-change engine (an existing device TOD reaches).

export type RouterSide = {
  /** The interface's name on the router. */
  interface: string;
  listenPort: number;
  privateKey: string;
  presharedKey: string | null;
  hubPublicKey: string;
  endpointHost: string;
  endpointPort: number;
  hubAddress: string;
  address: string;
  prefix: number;
  keepaliveSeconds: number;
  /** TOD's ports on the router (API, API-SSL, SSH): the input rule accepts these from the hub. */
  managementPorts: readonly number[];
  /** Place the input rule before this item; undefined: at the end (an empty input chain). */
  firewallBefore?: Where;
};

export const ROUTER_LISTEN_PORT = 13231;

/** A router's side of its organisation's hub: what both the terminal lines and the engine's commands are made of. */
export function routerSide(
  hub: HubRow,
  endpoint: string,
  p: { address: string; keys: PeerKeys; listenPort: number; managementPorts: readonly number[] },
): RouterSide {
  return {
    interface: hub.router_interface,
    listenPort: p.listenPort,
    privateKey: p.keys.privateKey,
    presharedKey: p.keys.presharedKey,
    hubPublicKey: hub.public_key,
    endpointHost: endpoint,
    endpointPort: hub.listen_port,
    hubAddress: hub.hub_address,
    address: p.address,
    prefix: Number(hub.network.split('/')[1]),
    keepaliveSeconds: hub.keepalive_seconds,
    managementPorts: p.managementPorts,
  };
}
export const COMMENT = 'TOD WireGuard';

export function routerCommands(r: RouterSide): PlannedCommand[] {
  const peer: Record<string, string> = {
    interface: r.interface,
    'public-key': r.hubPublicKey,
    'endpoint-address': r.endpointHost,
    'endpoint-port': String(r.endpointPort),
    'allowed-address': `${r.hubAddress}/32`,
    ...(r.keepaliveSeconds > 0 ? { 'persistent-keepalive': `${r.keepaliveSeconds}s` } : {}),
    ...(r.presharedKey ? { 'preshared-key': r.presharedKey } : {}),
    comment: `${COMMENT} hub`,
  };
  const ports = [...new Set(r.managementPorts)].join(',');
  return [
    planned({
      path: '/interface/wireguard',
      verb: 'add',
      properties: {
        name: r.interface,
        'listen-port': String(r.listenPort),
        'private-key': r.privateKey,
        comment: COMMENT,
      },
    }),
    planned({ path: '/interface/wireguard/peers', verb: 'add', properties: peer }),
    planned({
      path: '/ip/address',
      verb: 'add',
      properties: { address: `${r.address}/${r.prefix}`, interface: r.interface, comment: COMMENT },
    }),
    planned({
      path: '/ip/firewall/filter',
      verb: 'add',
      properties: {
        chain: 'input',
        action: 'accept',
        'in-interface': r.interface,
        'src-address': r.hubAddress,
        protocol: 'tcp',
        'dst-port': ports,
        comment: `${COMMENT}: TOD management`,
      },
      ...(r.firewallBefore ? { destination: r.firewallBefore } : {}),
    }),
  ];
}

/**
 * The commands as lines to paste into the router's terminal. The input rule goes before the first input rule
 * (`place-before=[ find chain=input ]` takes the first it finds); on a router whose input chain is empty, nothing
 * drops TOD's traffic and the rule may go without `place-before`.
 */
export function terminalLines(r: Omit<RouterSide, 'firewallBefore'>): string[] {
  return [
    `# TOD: join this router to its organisation's WireGuard hub (${r.endpointHost}:${r.endpointPort}).`,
    "# Contains the router's private key: paste it into the router's terminal, do not keep it anywhere else.",
    ...routerCommands({ ...r, firewallBefore: { chain: 'input' } }).map((c) => c.cli),
  ];
}

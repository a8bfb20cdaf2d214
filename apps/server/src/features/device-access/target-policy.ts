import dns from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';
import type { Config } from '../../platform/config/config.js';
import { type Cidr, inNetworks, networkList, parseCidr } from '../../platform/net/cidr.js';
import { DeviceAccessError } from './taxonomy.js';

// Where TOD may connect. Probe and scan take any host and port from an operator, so without a policy they reach
// TOD's own services (its HTTP and metrics ports, the embedded PostgreSQL, a local Redis or NATS) and whatever
// networks the operator wants kept out of reach. Host names are resolved first and the address is checked (a DNS
// name cannot bypass the list); the session then connects to that very address, so a second lookup that answers
// differently cannot either.

export type OwnEndpoint = { port: number; host?: string };

export type TargetPolicyOptions = {
  deny: readonly Cidr[];
  /** TOD's own listening ports (any local address), and services by host:port (denied when the host is local). */
  own: readonly OwnEndpoint[];
  resolveTimeoutMs: number;
};

const LOOPBACK = networkList(['127.0.0.0/8', '::1/128', '0.0.0.0/8', '::/128'].map((c) => parseCidr(c)));

let interfaceAddresses: { at: number; list: Set<string> } | undefined;
function machineAddresses(): Set<string> {
  // Interfaces change rarely; a minute-old view is fine and keeps os.networkInterfaces() off the hot path.
  if (!interfaceAddresses || Date.now() - interfaceAddresses.at > 60_000) {
    const list = new Set<string>();
    for (const addrs of Object.values(os.networkInterfaces()))
      for (const a of addrs ?? []) list.add(normalise(a.address));
    interfaceAddresses = { at: Date.now(), list };
  }
  return interfaceAddresses.list;
}

/** IPv4-mapped IPv6 as IPv4, lower case, zone dropped: one spelling per address. */
function normalise(address: string): string {
  const a = address.toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped ? mapped[1]! : a;
}

/** Whether connecting to `address` reaches this machine. */
function isLocalAddress(address: string): boolean {
  const a = normalise(address);
  return inNetworks(LOOPBACK, a) || machineAddresses().has(a);
}

function portOf(url: URL, fallback: number): number {
  return url.port ? Number(url.port) : fallback;
}

/**
 * TOD's own endpoints: its HTTP and metrics ports, and the services it uses by URL (PostgreSQL, whose embedded
 * port is only known once it runs, so the caller passes the URL the pools use; Redis; NATS).
 */
export function ownEndpointsOf(config: Config, databaseUrl: string | undefined): OwnEndpoint[] {
  const own: OwnEndpoint[] = [{ port: config.PORT }];
  if (config.METRICS_PORT > 0) own.push({ port: config.METRICS_PORT });
  // WinBox tunnels: a device "at" one of them would make a tunnel into a tunnel.
  for (let p = config.WINBOX_PORT_RANGE.first; p <= config.WINBOX_PORT_RANGE.last; p++) own.push({ port: p });
  const add = (raw: string | undefined, fallbackPort: number) => {
    for (const part of (raw ?? '').split(',').filter(Boolean)) {
      try {
        const url = new URL(part.trim());
        own.push({ host: url.hostname.replace(/^\[|\]$/g, '') || 'localhost', port: portOf(url, fallbackPort) });
      } catch {
        // config validation already refused malformed URLs
      }
    }
  };
  add(databaseUrl ?? config.DATABASE_URL, 5432);
  add(config.REDIS_URL, 6379);
  add(config.NATS_URL, 4222);
  return own;
}

export type TargetPolicy = ReturnType<typeof createTargetPolicy>;

export function createTargetPolicy(o: TargetPolicyOptions) {
  const deny = networkList(o.deny);

  async function lookup(host: string): Promise<string[]> {
    if (net.isIP(host)) return [host];
    let timer: NodeJS.Timeout | undefined;
    try {
      const found = await Promise.race([
        dns.lookup(host, { all: true, verbatim: true }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(Object.assign(new Error('lookup timed out'), { code: 'EAI_AGAIN' })),
            o.resolveTimeoutMs,
          );
        }),
      ]);
      return found.map((f) => f.address);
    } finally {
      clearTimeout(timer);
    }
  }

  // Local services named by host (Redis, NATS, PostgreSQL URLs): resolved once, kept when the host is this machine.
  let ownPorts: Promise<Set<number>> | undefined;
  const localOwnPorts = () => {
    ownPorts ??= (async () => {
      const ports = new Set<number>();
      let failed = false;
      for (const e of o.own) {
        if (e.host === undefined) ports.add(e.port);
        else {
          const addrs = await lookup(e.host).catch(() => {
            failed = true;
            return [] as string[];
          });
          if (addrs.some(isLocalAddress)) ports.add(e.port);
        }
      }
      // A lookup that failed (a DNS hiccup) is tried again at the next check rather than leaving a port unguarded.
      if (failed) ownPorts = undefined;
      return ports;
    })();
    return ownPorts;
  };

  /** Refuses an address in a denied network, or one of TOD's own ports on this machine. */
  async function check(address: string, ports: readonly number[], label: string): Promise<void> {
    const a = normalise(address);
    if (inNetworks(deny, a))
      throw new DeviceAccessError(
        'target_denied',
        `${label}: ${a} is in a network TOD may not connect to (DEVICE_NETWORKS_DENY)`,
      );
    if (isLocalAddress(a)) {
      const own = await localOwnPorts();
      const hit = ports.find((p) => own.has(p));
      if (hit !== undefined)
        throw new DeviceAccessError('target_denied', `${label}: port ${hit} on ${a} is one of TOD's own services`);
    }
  }

  return {
    check,
    /**
     * The address to connect to for `host`, after checking it and every other address the name resolves to
     * against the policy (one denied address refuses the name). Throws DeviceAccessError `dns` or `target_denied`.
     */
    async resolve(host: string, ports: readonly number[]): Promise<string> {
      let addresses: string[];
      try {
        addresses = await lookup(host);
      } catch {
        throw new DeviceAccessError('dns', `${host}: host name does not resolve`);
      }
      if (addresses.length === 0) throw new DeviceAccessError('dns', `${host}: host name does not resolve`);
      for (const a of addresses) await check(a, ports, host);
      return addresses[0]!;
    },
  };
}

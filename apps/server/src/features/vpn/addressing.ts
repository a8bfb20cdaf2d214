import { parseCidr } from '../../platform/net/cidr.js';

// Where each organisation's hub sits: slot n of the pool is the n-th block of WIREGUARD_NETWORK (of
// WIREGUARD_BLOCK_PREFIX), the n-th port of WIREGUARD_LISTEN_PORTS and the interface `todwg<n>`. The hub is the
// block's first host; peers get the next free hosts, one /32 each. Pure: the service supplies what is taken.

export type Pool = { base: number; prefix: number; blockPrefix: number; ports: { first: number; last: number } };
export type Block = { network: string; hubAddress: string; prefix: number };
export type Placement = Block & { slot: number; listenPort: number; interface: string };

export const ipToInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
export const intToIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export class PoolError extends Error {}

/** The pool from settings; refuses a block prefix that does not fit the network. */
export function poolOf(network: string, blockPrefix: number, ports: { first: number; last: number }): Pool {
  const c = parseCidr(network);
  if (blockPrefix <= c.prefix)
    throw new PoolError(
      `WIREGUARD_BLOCK_PREFIX (/${blockPrefix}) must be longer than WIREGUARD_NETWORK's prefix (/${c.prefix})`,
    );
  return { base: ipToInt(c.address), prefix: c.prefix, blockPrefix, ports };
}

/** How many organisations the pool holds: blocks and ports, whichever runs out first. */
export const slotCount = (p: Pool) => Math.min(2 ** (p.blockPrefix - p.prefix), p.ports.last - p.ports.first + 1);

export const interfaceOf = (slot: number) => `todwg${slot}`;

export function placementOf(p: Pool, slot: number): Placement {
  const size = 2 ** (32 - p.blockPrefix);
  const start = p.base + slot * size;
  return {
    slot,
    network: `${intToIp(start)}/${p.blockPrefix}`,
    hubAddress: intToIp(start + 1),
    prefix: p.blockPrefix,
    listenPort: p.ports.first + slot,
    interface: interfaceOf(slot),
  };
}

export type Taken = { slots: Set<number>; ports: Set<number>; networks: readonly string[]; interfaces: Set<string> };

const range = (cidr: string) => {
  const c = parseCidr(cidr);
  const start = ipToInt(c.address);
  return [start, start + 2 ** (32 - c.prefix)] as const;
};
/** Whether two IPv4 networks share an address. */
export function overlaps(a: string, b: string): boolean {
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 < b1 && b0 < a1;
}

/** The lowest slot whose block, port and interface are all free (hubs made under other settings keep theirs). */
export function firstFreePlacement(p: Pool, taken: Taken): Placement | undefined {
  for (let slot = 0; slot < slotCount(p); slot++) {
    const c = placementOf(p, slot);
    if (taken.slots.has(slot) || taken.ports.has(c.listenPort) || taken.interfaces.has(c.interface)) continue;
    if (taken.networks.some((n) => overlaps(n, c.network))) continue;
    return c;
  }
  return undefined;
}

/** The lowest free host of a block after the hub's address (the broadcast address is never given out). */
export function firstFreeHost(network: string, taken: ReadonlySet<string>): string | undefined {
  const c = parseCidr(network);
  const start = ipToInt(c.address);
  const size = 2 ** (32 - c.prefix);
  for (let n = start + 2; n < start + size - 1; n++) {
    const ip = intToIp(n);
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}

import net from 'node:net';

// Networks as operators write them ("10.0.0.0/8", "fd00::/8", or a bare address for one host), checked with Node's
// BlockList, which also matches IPv4-mapped IPv6 addresses (::ffff:10.1.2.3) against IPv4 networks.

export type Cidr = { address: string; prefix: number; family: 'ipv4' | 'ipv6' };

/** Parses "address/prefix" (or a bare address); throws an Error naming the problem. */
export function parseCidr(text: string): Cidr {
  const [address = '', prefixText, extra] = text.trim().split('/');
  const version = net.isIP(address);
  if (!version || extra !== undefined) throw new Error(`"${text.slice(0, 60)}" is not an IP network like 10.0.0.0/8`);
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max)
    throw new Error(`"${text.slice(0, 60)}": the prefix length must be 0..${max}`);
  return { address, prefix, family };
}

export function networkList(cidrs: readonly Cidr[]): net.BlockList {
  const list = new net.BlockList();
  for (const c of cidrs) list.addSubnet(c.address, c.prefix, c.family);
  return list;
}

/** Whether `address` (a literal IPv4 or IPv6 address) lies in one of the networks. */
export function inNetworks(list: net.BlockList, address: string): boolean {
  const version = net.isIP(address);
  if (!version) return false;
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

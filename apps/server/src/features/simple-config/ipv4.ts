import net from 'node:net';
import { parseCidr } from '../../platform/net/cidr.js';

// IPv4 arithmetic for the forms: the network of an interface address, whether a gateway or a pool lies in it.

export const toInt = (ip: string) => ip.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
export const toIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const mask = (prefix: number) => (prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0);

export type Ipv4Address = { ip: string; prefix: number; network: string; subnet: string };

/** `192.168.88.1/24` → its address, prefix, network (`192.168.88.0`) and subnet (`192.168.88.0/24`). */
export function interfaceAddress(text: string): Ipv4Address {
  const c = parseCidr(text);
  if (c.family !== 'ipv4' || !text.includes('/')) throw new Error(`"${text}" is not an IPv4 address with a prefix`);
  const network = toIp((toInt(c.address) & mask(c.prefix)) >>> 0);
  return { ip: c.address, prefix: c.prefix, network, subnet: `${network}/${c.prefix}` };
}

export function isInterfaceAddress(text: string): boolean {
  try {
    interfaceAddress(text);
    return true;
  } catch {
    return false;
  }
}

export function inSubnet(ip: string, a: Ipv4Address): boolean {
  return net.isIPv4(ip) && (toInt(ip) & mask(a.prefix)) >>> 0 === toInt(a.network);
}

/** Not the network or broadcast address of its subnet (/31 and /32 have neither). */
export function isHostAddress(ip: string, a: Ipv4Address): boolean {
  if (a.prefix >= 31) return true;
  const n = toInt(ip);
  const net0 = toInt(a.network);
  return n !== net0 && n !== (net0 | (~mask(a.prefix) >>> 0)) >>> 0;
}

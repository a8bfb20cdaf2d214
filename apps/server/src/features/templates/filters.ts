import net from 'node:net';
import { formatValue } from '@tod/rsc';
import { parseCidr } from '../../platform/net/cidr.js';

// Filters templates get beyond Liquid's own: RouterOS quoting, Jinja spellings of Liquid filters (the seed's
// templates are Jinja2), and address arithmetic for networks (a DHCP pool from the LAN address).

/** A value as RouterOS reads it after `name=`: quoted and escaped where needed, booleans as yes/no. */
export function ros(value: unknown): string {
  return formatValue(plain(value));
}

function plain(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map(plain).join(',');
  return String(value);
}

/** yes/no for RouterOS flags: true, "true", "yes", "on", 1 → yes; everything else → no. */
export function yesno(value: unknown): string {
  if (typeof value === 'string') return /^(true|yes|on|1)$/i.test(value.trim()) ? 'yes' : 'no';
  return value === true || value === 1 ? 'yes' : 'no';
}

type Network = { family: 4 | 6; address: bigint; prefix: number };

function network(value: unknown): Network {
  let c: ReturnType<typeof parseCidr>;
  try {
    c = parseCidr(String(value ?? ''));
  } catch (e) {
    throw new Error(`not an address/prefix: ${(e as Error).message}`);
  }
  const family = c.family === 'ipv4' ? 4 : 6;
  return { family, address: toBigInt(c.address, family), prefix: c.prefix };
}

function bits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function toBigInt(address: string, family: 4 | 6): bigint {
  if (family === 4) return address.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
  if (address.includes('.')) throw new Error(`IPv6 with an embedded IPv4 address is not supported: ${address}`);
  const [head = '', tail] = address.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return all.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

function fromBigInt(n: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  // The URL parser writes IPv6 in its canonical short form, as RouterOS does.
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}

function base(n: Network): bigint {
  const hostBits = BigInt(bits(n.family) - n.prefix);
  return (n.address >> hostBits) << hostBits;
}

/** `192.168.88.1/24` → `192.168.88.1` (a bare address stays as it is). */
export function address(value: unknown): string {
  const text = String(value ?? '').trim();
  const a = text.split('/')[0] ?? '';
  if (!net.isIP(a)) throw new Error(`not an address: ${text.slice(0, 60)}`);
  return a;
}

/** `192.168.88.1/24` → 24. */
export function prefix(value: unknown): number {
  return network(value).prefix;
}

/** `192.168.88.1/24` → `192.168.88.0/24`. */
export function networkOf(value: unknown): string {
  const n = network(value);
  return `${fromBigInt(base(n), n.family)}/${n.prefix}`;
}

/** `192.168.88.1/24` → `192.168.88.0`. */
export function networkAddress(value: unknown): string {
  const n = network(value);
  return fromBigInt(base(n), n.family);
}

/** The n-th address of the network (`192.168.88.1/24 | host: 10` → `192.168.88.10`); negative counts from the end (-1 = last). */
export function host(value: unknown, index: unknown): string {
  const n = network(value);
  const i = Number(index);
  if (!Number.isSafeInteger(i)) throw new Error(`host: expected a whole number, got ${String(index)}`);
  const size = 1n << BigInt(bits(n.family) - n.prefix);
  const offset = i >= 0 ? BigInt(i) : size + BigInt(i);
  if (offset < 0n || offset >= size) throw new Error(`host: ${i} is outside ${networkOf(value)}`);
  return fromBigInt(base(n) + offset, n.family);
}

/** Filters by name, as registered on the engine. Jinja spellings map onto Liquid's behaviour. */
export const extraFilters: Record<string, (value: unknown, ...args: unknown[]) => unknown> = {
  ros,
  yesno,
  address,
  prefix,
  network: networkOf,
  network_address: networkAddress,
  host,
  upper: (v) => String(v ?? '').toUpperCase(),
  lower: (v) => String(v ?? '').toLowerCase(),
  trim: (v) => String(v ?? '').trim(),
  length: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : 0),
  int: (v) => {
    const n = Number.parseInt(String(v ?? ''), 10);
    return Number.isNaN(n) ? 0 : n;
  },
  string: (v) => plain(v),
  tojson: (v) => JSON.stringify(v ?? null),
};

import { AppError } from '../../platform/http/errors.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import { DeviceAccessError } from '../device-access/taxonomy.js';
import type { ScanHit } from './devices.schema.js';
import { probeDevice } from './probe.js';

/** IPv4 CIDR → addresses, at most /20 (4,096). Network and broadcast addresses are skipped for /30 and wider. */
export function expandCidr(cidr: string): string[] {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) throw new AppError('validation_failed', 'cidr: an IPv4 network like 192.168.88.0/24');
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32)
    throw new AppError('validation_failed', 'cidr: not a valid IPv4 network');
  if (bits < 20) throw new AppError('validation_failed', 'cidr: at most a /20 (4,096 addresses) per scan');
  const base =
    (((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0) &
    (bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0);
  const size = 2 ** (32 - bits);
  const out: string[] = [];
  for (let i = 0; i < size; i++) {
    if (size >= 4 && (i === 0 || i === size - 1)) continue;
    const n = (base + i) >>> 0;
    out.push(`${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`);
  }
  return out;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

export type ScanOptions = {
  tenantId: string;
  cidr: string;
  port: number;
  tlsPort: number;
  timeoutMs: number;
  credentials?: { username: string; password: string };
  concurrency?: number;
  onHit?: (hit: ScanHit) => void;
};

export type ScanResult = { scanned: number; denied: number; found: ScanHit[] };

/**
 * Finds RouterOS API services in a network; with credentials, also logs in for identity, model and version. Every
 * address goes through device access: denied networks and TOD's own ports are skipped (counted in `denied`), and
 * logins are probes (bounded per tenant and process).
 */
export async function scanNetwork(access: DeviceAccess, o: ScanOptions): Promise<ScanResult> {
  const addresses = expandCidr(o.cidr);
  const hits: ScanHit[] = [];
  let denied = 0;
  const knock = async (address: string, port: number, ask: boolean) => {
    try {
      return await access.knock(address, port, o.timeoutMs, ask);
    } catch (e) {
      if (e instanceof DeviceAccessError && e.failure === 'target_denied') return undefined;
      throw e;
    }
  };
  await pool(addresses, o.concurrency ?? 256, async (address) => {
    const [api, ssl] = await Promise.all([knock(address, o.port, true), knock(address, o.tlsPort, false)]);
    if (!api || !ssl) {
      denied++;
      return;
    }
    if (!api.open && !ssl.open) return;
    const hit: ScanHit = {
      address,
      api: api.open,
      api_ssl: ssl.open,
      routeros: api.routeros,
      identity: null,
      model: null,
      version: null,
      login: null,
      detail: null,
    };
    if (o.credentials && (api.routeros || ssl.open)) {
      const endpoint = { host: address, port: o.port, tlsPort: o.tlsPort, tlsMode: 'auto' as const };
      const creds = o.credentials;
      // A scan may find hundreds of routers: their logins queue for probe slots rather than fail.
      const p = await probeDevice(
        () => access.openApiTo(o.tenantId, endpoint, creds, 'scan', { waitMs: Number.POSITIVE_INFINITY }),
        endpoint,
      );
      Object.assign(hit, {
        identity: p.identity,
        model: p.model,
        version: p.version,
        login: p.code,
        detail: p.ok ? null : p.detail,
      });
      if (p.ok) hit.routeros = true;
    }
    hits.push(hit);
    o.onHit?.(hit);
  });
  hits.sort((a, b) => a.address.localeCompare(b.address, undefined, { numeric: true }));
  return { scanned: addresses.length, denied, found: hits };
}

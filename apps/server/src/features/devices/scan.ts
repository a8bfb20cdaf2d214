import net from 'node:net';
import { decodeWord, encodeSentence, SentenceDecoder } from '@tod/routeros';
import { AppError } from '../../platform/http/errors.js';
import { probeDevice } from './probe.js';

export type ScanHit = {
  address: string;
  api: boolean;
  api_ssl: boolean;
  routeros: boolean;
  identity: string | null;
  model: string | null;
  version: string | null;
  /** With credentials: ok, bad_credentials, timeout… */
  login: string | null;
  detail: string | null;
};

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

/**
 * Opens host:port. With `askRouterOS`, sends a command without logging in: RouterOS answers `!fatal` ("not logged
 * in") and closes — the signature that tells it from any other service on the port.
 */
function knock(
  host: string,
  port: number,
  timeoutMs: number,
  askRouterOS: boolean,
): Promise<{ open: boolean; routeros: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const decoder = new SentenceDecoder({ maxWordBytes: 4096, maxSentenceWords: 64 });
    let open = false;
    const done = (routeros: boolean) => {
      socket.destroy();
      clearTimeout(timer);
      resolve({ open, routeros });
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => {
      open = true;
      if (!askRouterOS) return done(false);
      socket.write(encodeSentence(['/system/identity/print']));
    });
    socket.on('data', (chunk) => {
      try {
        const [sentence] = decoder.push(chunk);
        if (!sentence) return;
        const words = sentence.map((w) => decodeWord(w));
        done(['!fatal', '!trap', '!done'].includes(words[0] ?? ''));
      } catch {
        done(false);
      }
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

async function pool<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
  onResult?: (r: R) => void,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      const r = await fn(item);
      results.push(r);
      onResult?.(r);
    }
  });
  await Promise.all(workers);
  return results;
}

export type ScanOptions = {
  cidr: string;
  port: number;
  tlsPort: number;
  timeoutMs: number;
  credentials?: { username: string; password: string };
  concurrency?: number;
  onHit?: (hit: ScanHit) => void;
};

/** Finds RouterOS API services in a network; with credentials, also logs in for identity, model and version. */
export async function scanNetwork(o: ScanOptions): Promise<{ scanned: number; found: ScanHit[] }> {
  const addresses = expandCidr(o.cidr);
  const hits: ScanHit[] = [];
  await pool(addresses, o.concurrency ?? 256, async (address) => {
    const [api, ssl] = await Promise.all([
      knock(address, o.port, o.timeoutMs, true),
      knock(address, o.tlsPort, o.timeoutMs, false),
    ]);
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
      const p = await probeDevice({
        host: address,
        port: o.port,
        tlsPort: o.tlsPort,
        tlsMode: 'auto',
        ...o.credentials,
        connectTimeoutMs: Math.max(o.timeoutMs, 3000),
        commandTimeoutMs: 10_000,
      });
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
  return { scanned: addresses.length, found: hits };
}

// Opening the socket: TLS on 8729 with fallback, or plain TCP on 8728.
//
// Order in tlsMode 'auto' (and 'insecure', minus the last step):
//   1. TLS, certificate verified against the CA (system store or `ca`).
//   2. TLS, certificate not CA-verified but pinned: its SHA-256 fingerprint must equal `fingerprint` if the caller
//      supplied one (a different one is TlsError 'tls_fingerprint_mismatch', no further fallback); with no pin the
//      fingerprint is reported in TransportInfo so the caller can store it (trust on first use).
//   3. TLS with anonymous Diffie-Hellman: what RouterOS offers on api-ssl when no certificate is set.
//      Refused when the caller holds a pin: a device that had a certificate and now has none looks like a MITM.
//   4. Plain TCP on 8728 ('auto' only).
// A TCP-level failure on the TLS port (refused, timeout, unreachable) skips the remaining TLS steps.

import { createHash } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { ConnectError, RouterOSError, TlsError } from './errors.js';

export type TlsMode = 'auto' | 'verify' | 'insecure' | 'plain';
export type TransportKind = 'tls-verified' | 'tls-pinned' | 'tls-anon' | 'plain';

export const ADH_CIPHERS =
  'ADH-AES256-GCM-SHA384:ADH-AES128-GCM-SHA256:ADH-AES256-SHA256:ADH-AES128-SHA256:ADH-AES256-SHA:ADH-AES128-SHA:@SECLEVEL=0';

export interface TransportOptions {
  host: string;
  /** Plain API port. Default 8728. */
  port?: number;
  /** API-SSL port. Default 8729. */
  tlsPort?: number;
  /** Default 'auto'. */
  tlsMode?: TlsMode;
  /** Extra CA certificates (PEM) for step 1. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Revocation lists (PEM) of those CAs: a revoked certificate fails step 1. Needs one per CA given in `ca`. */
  crl?: string | Buffer | Array<string | Buffer>;
  /** Name to verify the certificate against; default `host`. */
  servername?: string;
  /** Pinned SHA-256 certificate fingerprint (hex, colons and case ignored) from an earlier connection. */
  fingerprint?: string;
  /** Per attempt: TCP connect plus TLS handshake. Default 10 s. */
  connectTimeoutMs?: number;
  /** Allow the anonymous-DH step (API-SSL only; the REST service always has a certificate). Default true. */
  allowAnonymous?: boolean;
}

export interface TransportInfo {
  kind: TransportKind;
  host: string;
  port: number;
  /** Colon-separated uppercase SHA-256 of the peer certificate (TLS with a certificate). */
  fingerprint?: string;
  cipher?: string;
  tlsVersion?: string;
  /** Why earlier steps failed, in order (empty when the first step worked). */
  fallbacks: string[];
}

export interface Transport {
  socket: net.Socket;
  info: TransportInfo;
}

export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

export function certFingerprint(raw: Buffer): string {
  return normalizeFingerprint(createHash('sha256').update(raw).digest('hex'));
}

const TCP_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function connectError(e: unknown, host: string, port: number): ConnectError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'ECONNECT';
  const reason = e instanceof Error ? e.message : String(e);
  return new ConnectError(code, `cannot connect to ${host}:${port}: ${reason}`, host, port, { cause: e });
}

/** Plain TCP connect with a timeout. */
export function connectTcp(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new ConnectError('ETIMEDOUT', `cannot connect to ${host}:${port}: no answer in ${timeoutMs} ms`, host, port),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      socket.destroy();
      reject(connectError(e, host, port));
    });
  });
}

type TlsStep = 'verified' | 'pinned' | 'anon';

// One OpenSSL context per kind of attempt, shared by every connection: a context per socket cost ~17 KB of native
// memory each (≈170 MB for a poller holding 10,000 sessions). Contexts with caller CAs are cached by those CAs.
const contexts = new Map<string, tls.SecureContext>();
function sharedContext(key: string, make: () => tls.SecureContext): tls.SecureContext {
  let ctx = contexts.get(key);
  if (!ctx) {
    if (contexts.size > 1024) contexts.clear(); // bounded: one per organisation CA (≈17 KB each)
    ctx = make();
    contexts.set(key, ctx);
  }
  return ctx;
}

function tlsAttempt(opts: TransportOptions, step: TlsStep, tcp: net.Socket, timeoutMs: number): Promise<tls.TLSSocket> {
  const host = opts.host;
  const port = opts.tlsPort ?? 8729;
  const base: tls.ConnectionOptions = { socket: tcp };
  const servername = opts.servername ?? host;
  if (!net.isIP(servername)) base.servername = servername;
  if (step === 'verified') {
    const ca = opts.ca ? caList(opts.ca) : undefined;
    const crl = ca && opts.crl ? caList(opts.crl) : undefined;
    const trust = [...(ca ?? []), '--crl--', ...(crl ?? [])].map(String).join('\n');
    const key = ca ? `verified:${createHash('sha256').update(trust).digest('hex')}` : 'verified';
    base.rejectUnauthorized = true;
    base.secureContext = sharedContext(key, () => tls.createSecureContext(ca ? { ca, ...(crl ? { crl } : {}) } : {}));
    if (net.isIP(servername)) base.checkServerIdentity = (_h, cert) => tls.checkServerIdentity(servername, cert);
  } else if (step === 'pinned') {
    base.rejectUnauthorized = false;
    base.secureContext = sharedContext('pinned', () => tls.createSecureContext({}));
  } else {
    base.rejectUnauthorized = false;
    base.secureContext = sharedContext('anon', () =>
      tls.createSecureContext({ ciphers: ADH_CIPHERS, maxVersion: 'TLSv1.2' }),
    );
  }
  return new Promise((resolve, reject) => {
    const socket = tls.connect(base);
    const timer = setTimeout(() => {
      socket.destroy();
      tcp.destroy();
      reject(
        new ConnectError('ETIMEDOUT', `TLS handshake with ${host}:${port} timed out after ${timeoutMs} ms`, host, port),
      );
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      tcp.destroy();
      if (e.code && TCP_CODES.has(e.code)) reject(connectError(e, host, port));
      else if (e.code === 'ECONNRESET' || e.code === 'EPIPE')
        reject(
          new TlsError('tls_handshake', `TLS handshake with ${host}:${port} failed: connection reset`, undefined, {
            cause: e,
          }),
        );
      else
        reject(
          new TlsError(tlsCode(e), `TLS (${step}) with ${host}:${port} failed: ${e.message}`, undefined, { cause: e }),
        );
    });
  });
}

function caList(ca: NonNullable<TransportOptions['ca']>): Array<string | Buffer> {
  return Array.isArray(ca) ? ca : [ca];
}

function tlsCode(e: NodeJS.ErrnoException): string {
  const c = e.code ?? '';
  if (c.includes('CERT') || c.includes('SIGNATURE') || c === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'tls_certificate';
  return 'tls_handshake';
}

function tlsInfo(
  socket: tls.TLSSocket,
  kind: TransportKind,
  opts: TransportOptions,
  fallbacks: string[],
): TransportInfo {
  const cert = socket.getPeerCertificate();
  const raw = cert && 'raw' in cert ? cert.raw : undefined;
  const info: TransportInfo = { kind, host: opts.host, port: opts.tlsPort ?? 8729, fallbacks };
  if (raw) info.fingerprint = certFingerprint(raw);
  const cipher = socket.getCipher();
  if (cipher) info.cipher = cipher.name;
  const version = socket.getProtocol();
  if (version) info.tlsVersion = version;
  return info;
}

/** Open the transport according to `tlsMode`, trying the fallbacks described at the top of this file. */
export async function openTransport(opts: TransportOptions): Promise<Transport> {
  const mode = opts.tlsMode ?? 'auto';
  const timeoutMs = opts.connectTimeoutMs ?? 10_000;
  const host = opts.host;
  const plainPort = opts.port ?? 8728;
  const tlsPort = opts.tlsPort ?? 8729;
  const pin = opts.fingerprint ? normalizeFingerprint(opts.fingerprint) : undefined;
  const fallbacks: string[] = [];

  if (mode === 'plain') {
    const socket = await connectTcp(host, plainPort, timeoutMs);
    return { socket, info: { kind: 'plain', host, port: plainPort, fallbacks } };
  }

  const steps: TlsStep[] = mode === 'verify' ? ['verified'] : ['verified', 'pinned', 'anon'];
  if (opts.allowAnonymous === false && steps.at(-1) === 'anon') steps.pop();
  let lastError: Error | undefined;
  for (const step of steps) {
    if (step === 'anon' && pin) {
      lastError = new TlsError(
        'tls_pin_without_certificate',
        `${host}:${tlsPort} presents no usable certificate but fingerprint ${pin} is pinned; refusing anonymous TLS`,
      );
      fallbacks.push(`anon: ${lastError.message}`);
      // A pinned device must not be downgraded to plain text either.
      throw lastError;
    }
    let tcp: net.Socket;
    try {
      tcp = await connectTcp(host, tlsPort, timeoutMs);
    } catch (e) {
      lastError = e as Error;
      fallbacks.push(`${step}: ${lastError.message}`);
      break; // the TLS port is not reachable: no point in other TLS variants
    }
    try {
      const socket = await tlsAttempt(opts, step, tcp, timeoutMs);
      if (step === 'verified') return { socket, info: tlsInfo(socket, 'tls-verified', opts, fallbacks) };
      if (step === 'anon') return { socket, info: tlsInfo(socket, 'tls-anon', opts, fallbacks) };
      const info = tlsInfo(socket, 'tls-pinned', opts, fallbacks);
      if (!info.fingerprint) {
        // An anonymous cipher got negotiated without a certificate; treat it as the anon step.
        if (pin) {
          socket.destroy();
          throw new TlsError(
            'tls_pin_without_certificate',
            `${host}:${tlsPort} presents no certificate but one is pinned`,
          );
        }
        return { socket, info: { ...info, kind: 'tls-anon' } };
      }
      if (pin && info.fingerprint !== pin) {
        socket.destroy();
        throw new TlsError(
          'tls_fingerprint_mismatch',
          `certificate of ${host}:${tlsPort} changed: expected ${pin}, got ${info.fingerprint}`,
          info.fingerprint,
        );
      }
      return { socket, info };
    } catch (e) {
      if (
        e instanceof TlsError &&
        (e.code === 'tls_fingerprint_mismatch' || e.code === 'tls_pin_without_certificate')
      ) {
        throw e;
      }
      lastError = e as Error;
      fallbacks.push(`${step}: ${lastError.message}`);
      if (e instanceof ConnectError) break; // handshake timed out or TCP failed: other TLS variants would too
    }
  }

  if (mode === 'auto' && !pin) {
    try {
      const socket = await connectTcp(host, plainPort, timeoutMs);
      return { socket, info: { kind: 'plain', host, port: plainPort, fallbacks } };
    } catch (e) {
      fallbacks.push(`plain: ${(e as Error).message}`);
      throw withAttempts(e, fallbacks);
    }
  }
  throw withAttempts(lastError ?? new TlsError('tls_unavailable', `no TLS transport to ${host}:${tlsPort}`), fallbacks);
}

function withAttempts(e: unknown, attempts: string[]): unknown {
  if (e instanceof RouterOSError && attempts.length > 1) e.attempts = [...attempts];
  return e;
}

import net from 'node:net';
import { type ClientOptions, RouterOSClient, type TlsMode } from '@tod/routeros';
import type { PurposeLimits } from './purposes.js';
import type { TargetPolicy } from './target-policy.js';
import { DeviceAccessError, type TargetLabel, toAccessError } from './taxonomy.js';

// Opening one RouterOS API session: policy check on the resolved address, the fallback order of @tod/routeros
// (verified TLS → pinned → anonymous DH → plain, as the TLS mode allows), the purpose's timeouts and reply limits.
// Every failure leaves as a DeviceAccessError with a taxonomy code.

export type Endpoint = {
  host: string;
  port: number;
  tlsPort: number;
  tlsMode: TlsMode;
  /** Pinned certificate fingerprint: a different certificate is refused (`tls_fingerprint_mismatch`). */
  fingerprint?: string | null;
  /** The organisation's CAs and their revocation lists: verified TLS trusts these instead of public CAs. */
  trust?: Trust | null;
};

export type Trust = { ca: string[]; crl: string[] };

export type Credentials = { username: string; password: string };

/** Ports a TLS mode may connect to. */
export function portsOf(e: Endpoint): number[] {
  if (e.tlsMode === 'plain') return [e.port];
  if (e.tlsMode === 'auto' && !e.fingerprint) return [e.tlsPort, e.port];
  return [e.tlsPort];
}

export const labelOf = (e: Endpoint): TargetLabel => ({ host: e.host, port: e.port, tlsPort: e.tlsPort });

// A CR, LF or NUL in a user name or password is refused before anything is sent: a RouterOS peer does not need
// them, and a line-based service (Redis, SMTP…) given such a login would read the rest as its own commands.
const UNSAFE = /[\r\n\0]/;

/** Refuses credentials with a CR, LF or NUL before anything is sent (API and SSH alike). */
export function refuseUnsafeCredentials(host: string, creds: Credentials): void {
  if (UNSAFE.test(creds.username) || UNSAFE.test(creds.password))
    throw new DeviceAccessError(
      'bad_credentials',
      `${host}: the user name or password contains a line break or NUL; TOD does not send it`,
    );
}

export async function connectApi(
  policy: TargetPolicy,
  e: Endpoint,
  creds: Credentials,
  limits: PurposeLimits,
  extra: { tcpKeepAliveMs?: number } = {},
): Promise<RouterOSClient> {
  const label = labelOf(e);
  refuseUnsafeCredentials(e.host, creds);
  const address = await policy.resolve(e.host, portsOf(e));
  const options: ClientOptions = {
    host: address,
    port: e.port,
    tlsPort: e.tlsPort,
    tlsMode: e.tlsMode,
    username: creds.username,
    password: creds.password,
    connectTimeoutMs: limits.connectTimeoutMs,
    commandTimeoutMs: limits.commandTimeoutMs,
    maxReplyBytes: limits.maxReplyBytes,
    maxReplyRows: limits.maxReplyRows,
    // No single word or sentence may be bigger than a whole reply; small purposes get small buffers.
    maxWordBytes: Math.min(limits.maxReplyBytes, 8 * 1024 * 1024),
    maxSentenceBytes: Math.min(limits.maxReplyBytes, 16 * 1024 * 1024),
  };
  // Certificates name the host, not the address it resolved to.
  if (!net.isIP(e.host)) options.servername = e.host;
  if (e.fingerprint) options.fingerprint = e.fingerprint;
  if (e.trust?.ca.length) {
    options.ca = e.trust.ca;
    options.crl = e.trust.crl;
  }
  if (extra.tcpKeepAliveMs !== undefined) options.tcpKeepAliveMs = extra.tcpKeepAliveMs;
  try {
    return await RouterOSClient.connect(options);
  } catch (err) {
    throw toAccessError(err, 'connect', label);
  }
}

import {
  AuthError,
  ClosedError,
  ConnectError,
  FatalError,
  ReplyLimitError,
  RouterOSProtocolError,
  TimeoutError,
  TlsError,
  TrapError,
} from '@tod/routeros';
import { AppError } from '../../platform/http/errors.js';

// The one list of ways reaching a device can fail. Probe results, the poller's offline reasons (stored in
// devices.status_reason), scan hits and every later feature (backups, changes…) use these codes. Details are
// written here from what TOD knows (the code, the target, the step); never from bytes the peer sent, since a
// probe can be pointed at any service and must not become a way to read it.
//
// SSH (ssh.ts) has codes of its own where the failure differs from the API's: `ssh_refused` (SSH off, or the port
// closed or reset before the SSH greeting), `ssh_timeout` (no handshake, command or transfer in time),
// `ssh_auth_failed` (password refused, or the user's group lacks the `ssh` policy: RouterOS does not say which),
// `ssh_host_key_mismatch` (a host key other than the pinned one; no password is sent), `ssh_transfer_incomplete`
// (the connection ended mid-transfer, or a file read short of its size). It reuses the codes whose meaning is the
// same: `reply_too_large` (output past the purpose's byte limit), `unreachable`, `dns`, `target_denied`,
// `credentials_unavailable`, `connection_lost` (an open session dropped outside a transfer), `error`.

export const accessFailureCodes = [
  'refused',
  'timeout',
  'unreachable',
  'dns',
  'tls',
  'tls_fingerprint_mismatch',
  'bad_credentials',
  'not_routeros',
  'connection_lost',
  'reply_too_large',
  'credentials_unavailable',
  'target_denied',
  'error',
  'ssh_refused',
  'ssh_timeout',
  'ssh_auth_failed',
  'ssh_host_key_mismatch',
  'ssh_transfer_incomplete',
] as const;
export type AccessFailureCode = (typeof accessFailureCodes)[number];

/** HTTP status when a feature lets the failure reach a client: the device (a gateway) failed, or TOD refused. */
export const accessFailureStatus: Record<AccessFailureCode, number> = {
  refused: 502,
  timeout: 504,
  unreachable: 502,
  dns: 502,
  tls: 502,
  tls_fingerprint_mismatch: 502,
  bad_credentials: 502,
  not_routeros: 502,
  connection_lost: 502,
  reply_too_large: 502,
  credentials_unavailable: 500,
  target_denied: 403,
  error: 502,
  ssh_refused: 502,
  ssh_timeout: 504,
  ssh_auth_failed: 502,
  ssh_host_key_mismatch: 502,
  ssh_transfer_incomplete: 502,
};

/** One sentence per code, for people (the web app has its own wording; this is for logs, events and APIs). */
export const accessFailureText: Record<AccessFailureCode, string> = {
  refused: 'connection refused: is the API service enabled and the port right?',
  timeout: 'no answer in time',
  unreachable: 'host unreachable',
  dns: 'host name does not resolve',
  tls: 'TLS failed',
  tls_fingerprint_mismatch: 'the TLS certificate differs from the pinned one',
  bad_credentials: 'user name or password refused',
  not_routeros: 'does not speak the RouterOS API (or the API service only accepts other addresses)',
  connection_lost: 'connection lost',
  reply_too_large: 'a reply exceeded the size limit; session closed',
  credentials_unavailable: 'credentials cannot be decrypted',
  target_denied: 'TOD is not allowed to connect to this address and port',
  error: 'failed',
  ssh_refused: 'SSH connection refused: is the ssh service enabled and the SSH port right?',
  ssh_timeout: 'no SSH answer in time',
  ssh_auth_failed: "SSH login refused: wrong user name or password, or the user's group lacks the ssh policy",
  ssh_host_key_mismatch: 'the SSH host key differs from the pinned one',
  ssh_transfer_incomplete: 'the SSH transfer ended before it was complete',
};

/**
 * A failure to reach or talk to a device, with its taxonomy code. An AppError, so a feature may let it reach a
 * client as `{code, detail}`.
 */
export class DeviceAccessError extends AppError {
  constructor(
    readonly failure: AccessFailureCode,
    detail: string,
  ) {
    super(failure, detail);
    this.name = 'DeviceAccessError';
  }
}

/** Where the failure happened: before the session was established (connect, TLS, login) or on an open session. */
export type Phase = 'connect' | 'session';

// Codes of the client's size limits on words and sentences (a peer announcing more than TOD accepts).
const SIZE_LIMIT_CODES = new Set(['word_too_long', 'sentence_too_long', 'sentence_too_large']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL']);

/** The taxonomy code of any error thrown while reaching or using a device. */
export function classify(err: unknown, phase: Phase): AccessFailureCode {
  if (err instanceof DeviceAccessError) return err.failure;
  if (err instanceof ReplyLimitError) return 'reply_too_large';
  if (err instanceof AuthError) return 'bad_credentials';
  if (err instanceof TlsError) return err.code === 'tls_fingerprint_mismatch' ? 'tls_fingerprint_mismatch' : 'tls';
  if (err instanceof TimeoutError) return 'timeout';
  if (err instanceof ConnectError) {
    if (err.code === 'ECONNREFUSED') return 'refused';
    if (err.code === 'ETIMEDOUT') return 'timeout';
    if (DNS_CODES.has(err.code)) return 'dns';
    return 'unreachable';
  }
  if (err instanceof RouterOSProtocolError)
    return phase === 'session' && SIZE_LIMIT_CODES.has(err.code) ? 'reply_too_large' : 'not_routeros';
  if (err instanceof ClosedError) {
    if (err.code === 'reply_limit') return 'reply_too_large';
    // Before login completes, a peer that hangs up is not a RouterOS API we may use: another service, or RouterOS
    // with the API restricted to other addresses. After login it is a dropped session.
    return phase === 'connect' ? 'not_routeros' : 'connection_lost';
  }
  if (err instanceof FatalError) return phase === 'connect' ? 'not_routeros' : 'connection_lost';
  return 'error';
}

export type TargetLabel = { host: string; port: number; tlsPort: number };

/** A sentence naming the target and what went wrong, built only from TOD's own knowledge. */
export function describeFailure(code: AccessFailureCode, t: TargetLabel | undefined, err?: unknown): string {
  const where = t ? `${t.host} (API ${t.port}, API-SSL ${t.tlsPort}): ` : '';
  let why = accessFailureText[code];
  if (err instanceof TlsError && code === 'tls_fingerprint_mismatch' && err.fingerprint)
    why += ` (it now presents ${err.fingerprint})`;
  else if (err instanceof TlsError) why += ` (${err.code})`;
  else if (err instanceof TimeoutError) why += ` (${err.code})`;
  else if (err instanceof ConnectError && code === 'unreachable') why += ` (${err.code})`;
  else if (err instanceof ReplyLimitError)
    why = `the reply to ${err.path} exceeded ${err.max} ${err.limit}; session closed`;
  else if (err instanceof TrapError) why = 'the router refused a command';
  return `${where}${why}`;
}

/** Turns any error into a DeviceAccessError (kept as is when it already is one). */
export function toAccessError(err: unknown, phase: Phase, t?: TargetLabel): DeviceAccessError {
  if (err instanceof DeviceAccessError) return err;
  const code = classify(err, phase);
  return new DeviceAccessError(code, describeFailure(code, t, err));
}

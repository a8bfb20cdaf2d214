import {
  AuthError,
  ClosedError,
  ConnectError,
  FatalError,
  RouterOSProtocolError,
  TimeoutError,
  TlsError,
} from '@tod/routeros';
import type { StatusReason } from './types.js';

/** Maps a failure to the precise reason shown to the user. */
export function reasonOf(err: unknown): StatusReason {
  if (err instanceof AuthError) return 'bad_credentials';
  if (err instanceof TlsError) return 'tls';
  if (err instanceof TimeoutError) return 'timeout';
  if (err instanceof ConnectError) {
    switch (err.code) {
      case 'ECONNREFUSED':
        return 'refused';
      case 'ETIMEDOUT':
        return 'timeout';
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return 'unreachable';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return 'dns';
      default:
        return 'error';
    }
  }
  if (err instanceof RouterOSProtocolError) return 'not_routeros';
  // A peer that closes or fatals the session before login completes is not speaking the RouterOS API.
  if (err instanceof FatalError) return 'not_routeros';
  if (err instanceof ClosedError) return 'connection_lost';
  if (err instanceof CredentialsUnavailable) return 'credentials_unavailable';
  return 'error';
}

export class CredentialsUnavailable extends Error {
  readonly code = 'credentials_unavailable';
}

export function messageOf(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.slice(0, 500);
}

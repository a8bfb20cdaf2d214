// Typed errors. Every error carries a stable `code` string callers can switch on; messages never contain
// passwords (login code passes only the user name into messages).

export class RouterOSError extends Error {
  readonly code: string;
  /** For connect failures after fallbacks: why each transport attempt failed, in order. */
  attempts?: readonly string[];
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Malformed bytes on the wire: control byte, oversize word, bad reply shape. The connection is unusable. */
export class RouterOSProtocolError extends RouterOSError {}

/** Short alias used by the client API. */
export { RouterOSProtocolError as ProtocolError };

/** TCP-level failure to connect. `code`: 'ECONNREFUSED' | 'ETIMEDOUT' | 'EHOSTUNREACH' | 'ENETUNREACH' | ... */
export class ConnectError extends RouterOSError {
  readonly host: string;
  readonly port: number;
  constructor(code: string, message: string, host: string, port: number, options?: { cause?: unknown }) {
    super(code, message, options);
    this.host = host;
    this.port = port;
  }
}

/** TLS handshake or certificate failure. `code`: 'tls_handshake' | 'tls_fingerprint_mismatch' | 'tls_unavailable' ... */
export class TlsError extends RouterOSError {
  /** SHA-256 fingerprint of the certificate that was presented, when there was one. */
  readonly fingerprint: string | undefined;
  constructor(code: string, message: string, fingerprint?: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.fingerprint = fingerprint;
  }
}

/** Login refused. `code`: 'auth_failed'. */
export class AuthError extends RouterOSError {}

/** A connect, login or command did not finish in time. `code`: 'connect_timeout' | 'command_timeout' | 'login_timeout'. */
export class TimeoutError extends RouterOSError {}

/** The router answered a command with `!trap`. `code`: 'trap'. */
export class TrapError extends RouterOSError {
  /** RouterOS trap category (0 missing item, 1 bad argument, 2 interrupted, 3 scripting, 4 general, 5 access, 6 ...), if sent. */
  readonly category: number | undefined;
  readonly trapMessage: string;
  /** All traps of the reply (RouterOS may send several before `!done`). */
  readonly traps: ReadonlyArray<{ category: number | undefined; message: string }>;
  constructor(traps: ReadonlyArray<{ category: number | undefined; message: string }>, command?: string) {
    const first = traps[0] ?? { category: undefined, message: '' };
    super('trap', `${command ? `${command}: ` : ''}${first.message || 'trap without message'}`);
    this.category = first.category;
    this.trapMessage = first.message;
    this.traps = traps;
  }
}

/** The router sent `!fatal` and closed the connection. `code`: 'fatal'. */
export class FatalError extends RouterOSError {
  readonly reason: string;
  constructor(reason: string) {
    super('fatal', `router closed the session: ${reason}`);
    this.reason = reason;
  }
}

/**
 * A command's reply went over its row or byte limit (`maxRows`/`maxBytes`, client defaults `maxReplyRows`/
 * `maxReplyBytes`). `code`: 'reply_too_large'. The client also closed the session, since a peer that overruns a
 * limit may ignore `/cancel` and send forever; other pending commands get ClosedError('reply_limit').
 */
export class ReplyLimitError extends RouterOSError {
  /** Which limit was passed. */
  readonly limit: 'rows' | 'bytes';
  /** Its value. */
  readonly max: number;
  /** The command's path (never its arguments or anything the peer sent). */
  readonly path: string;
  constructor(limit: 'rows' | 'bytes', max: number, path: string) {
    super('reply_too_large', `${path}: reply exceeded the limit of ${max} ${limit}; session closed`);
    this.limit = limit;
    this.max = max;
    this.path = path;
  }
}

/**
 * The connection is closed (by us, the peer, or a reset). `code`: 'closed' | 'reset' | 'reply_limit' (another
 * command's reply exceeded its limit and the client closed the session).
 */
export class ClosedError extends RouterOSError {}

/** The REST API answered with an HTTP error (other than 401, which is AuthError). `code`: 'http_<status>'. */
export class RestError extends RouterOSError {
  readonly status: number;
  /** RouterOS's `detail` (or `message`) from the JSON error body. */
  readonly detail: string;
  constructor(status: number, detail: string, path: string) {
    super(`http_${status}`, `${path}: HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.status = status;
    this.detail = detail;
  }
}

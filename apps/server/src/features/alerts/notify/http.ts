import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import type { DeliveryOutcome } from './types.js';

// One POST to a webhook URL. Slack and Teams URLs are secrets (the token is the path), so no outcome, reason or
// error text ever carries the URL. A redirect is a failure, not followed: following one would let a receiver send
// TOD to an address the channel's URL check never saw. The response body is read only up to a bound and dropped.

export const RESPONSE_MAX_BYTES = 64 * 1024;
export const URL_MAX_LENGTH = 2048;

/** Why a channel URL cannot be used, or null. */
export function validateChannelUrl(raw: string): string | null {
  if (raw.length > URL_MAX_LENGTH) return `the URL is longer than ${URL_MAX_LENGTH} characters`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'the URL must start with http:// or https://';
  if (!u.hostname) return 'the URL has no host';
  return null;
}

export type PostRequest = {
  url: string;
  body: Buffer;
  headers: Record<string, string>;
  timeoutMs: number;
  /**
   * Checks the host (e.g. against a deny list) and answers the address to connect to, so the request goes to the
   * address that was checked. Throw an error with code `target_denied` to refuse.
   */
  resolveHost?: (host: string, port: number) => Promise<string>;
};

const fail = (retryable: boolean, reason: string, status?: number): DeliveryOutcome =>
  status === undefined ? { ok: false, retryable, reason } : { ok: false, retryable, reason, status };

/** 2xx delivered; 408, 429 and 5xx worth another try; a redirect or another 4xx will not change by retrying. */
export function outcomeOfStatus(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return { ok: true, status };
  if (status >= 300 && status < 400) return fail(false, 'redirect_refused', status);
  if (status === 408 || status === 429 || status >= 500) return fail(true, `http_${status}`, status);
  return fail(false, `http_${status}`, status);
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  ETIMEDOUT: 'timeout',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
};

/** A failure before any status arrived: retryable, except a host the policy refuses. */
export function outcomeOfError(err: unknown, timedOut: boolean): DeliveryOutcome {
  if (timedOut) return fail(true, 'timeout');
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'target_denied') return fail(false, 'target_denied');
  if (typeof code !== 'string') return fail(true, 'network_error');
  if (NETWORK_REASONS[code]) return fail(true, NETWORK_REASONS[code]);
  if (code === 'dns') return fail(true, 'dns');
  if (/CERT|SSL|TLS|SELF_SIGNED|VERIFY/.test(code)) return fail(true, 'tls_error');
  return fail(true, 'network_error');
}

/** A lookup that answers the one address already checked, in both of the shapes node asks for. */
function pinned(address: string): LookupFunction {
  const family = net.isIP(address);
  return (_host, options, cb) => (options.all ? cb(null, [{ address, family }]) : cb(null, address, family));
}

export async function postJson(req: PostRequest): Promise<DeliveryOutcome> {
  if (validateChannelUrl(req.url) !== null) return fail(false, 'invalid_url');
  const url = new URL(req.url);
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const signal = AbortSignal.timeout(req.timeoutMs);
  let lookup: LookupFunction | undefined;
  if (req.resolveHost) {
    try {
      lookup = pinned(await req.resolveHost(host, url.port ? Number(url.port) : secure ? 443 : 80));
    } catch (err) {
      return outcomeOfError(err, false);
    }
  }
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: DeliveryOutcome) => {
      if (settled) return;
      settled = true;
      resolve(o);
    };
    const headers = { ...req.headers, 'Content-Length': String(req.body.length) };
    // agent: false: a fresh connection each time, closed after the answer; alerts are too rare to pool for.
    const options = { method: 'POST', headers, signal, agent: false, ...(lookup ? { lookup } : {}) };
    const request = (secure ? https : http).request(url, options, (res) => {
      // The status is the outcome. The body is drained (to a bound, then the connection is cut) only so the
      // connection ends cleanly; nobody waits for it.
      done(outcomeOfStatus(res.statusCode ?? 0));
      let seen = 0;
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen >= RESPONSE_MAX_BYTES) res.destroy();
      });
      res.on('error', () => {});
    });
    request.on('error', (err) => done(outcomeOfError(err, signal.aborted)));
    request.end(req.body);
  });
}

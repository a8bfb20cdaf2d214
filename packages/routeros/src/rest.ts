// RouterOS v7 REST API (`https://<router>/rest/...`, HTTP Basic auth, JSON), a JSON wrapper around the same console
// commands. Each request opens its own connection through openTransport, so the certificate policy is the same as
// the binary API's (CA-verified, or pinned by SHA-256 fingerprint) and credentials are only sent after the
// certificate has been accepted. There is no anonymous TLS here: the www-ssl service always has a certificate.

import http from 'node:http';
import { AuthError, ClosedError, RestError, TimeoutError } from './errors.js';
import { type Query, queryWords } from './query.js';
import type { Row } from './reply.js';
import { openTransport, type TransportInfo } from './transport.js';
import { normalizePath } from './words.js';

export interface RestClientOptions {
  host: string;
  /** Default 443, or 80 with tlsMode 'plain'. */
  port?: number;
  username: string;
  password: string;
  /** 'verify' (default), 'insecure' (pinned certificate), or 'plain' HTTP (RouterOS 7.9+ `www`; avoid). */
  tlsMode?: 'verify' | 'insecure' | 'plain';
  ca?: string | Buffer | Array<string | Buffer>;
  servername?: string;
  fingerprint?: string;
  connectTimeoutMs?: number;
  /** Whole request. Default 60 s (RouterOS itself gives up on REST commands after 60 s). */
  timeoutMs?: number;
}

export type RestValue = string | number | boolean | readonly string[];

export class RouterOSRestClient {
  private readonly opts: RestClientOptions;
  /** Transport of the most recent request (kind, certificate fingerprint to pin). */
  lastTransport: TransportInfo | undefined;

  constructor(opts: RestClientOptions) {
    this.opts = opts;
  }

  /** `print` with `.proplist` and a query, via POST `/rest/<path>/print`. */
  async print(
    path: string,
    opts: { proplist?: readonly string[]; query?: Query | readonly Query[] } = {},
  ): Promise<Row[]> {
    const body: Record<string, unknown> = {};
    if (opts.proplist) body['.proplist'] = opts.proplist;
    // REST takes the same query words as the binary API, without the leading '?'.
    if (opts.query) body['.query'] = queryWords(opts.query).map((w) => w.slice(1));
    return asRows(await this.request('POST', `${normalizePath(path)}/print`, body));
  }

  /** GET a menu (all items) or one item by id; single-value menus (`/system/resource`) give one row. */
  async get(path: string, id?: string): Promise<Row[]> {
    const p = normalizePath(path) + (id ? `/${encodeURIComponent(id)}` : '');
    return asRows(await this.request('GET', p));
  }

  /** PUT: add an item; resolves with the created item. */
  async add(path: string, props: Record<string, RestValue>): Promise<Row> {
    return asRow(await this.request('PUT', normalizePath(path), props));
  }

  /** PATCH: change an item; resolves with the updated item. */
  async set(path: string, id: string, props: Record<string, RestValue>): Promise<Row> {
    return asRow(await this.request('PATCH', `${normalizePath(path)}/${encodeURIComponent(id)}`, props));
  }

  /** DELETE an item. */
  async remove(path: string, id: string): Promise<void> {
    await this.request('DELETE', `${normalizePath(path)}/${encodeURIComponent(id)}`);
  }

  /** POST any command (`/system/reboot`, `/ip/address/add`, ...) with its arguments. */
  async exec(path: string, args: Record<string, unknown> = {}): Promise<unknown> {
    return this.request('POST', normalizePath(path), args);
  }

  /** One HTTP request to `/rest<path>`; resolves with the parsed JSON (undefined for an empty body). */
  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const o = this.opts;
    const mode = o.tlsMode ?? 'verify';
    const port = o.port ?? (mode === 'plain' ? 80 : 443);
    const timeoutMs = o.timeoutMs ?? 60_000;
    const transportOpts = {
      host: o.host,
      port,
      tlsPort: port,
      tlsMode: mode,
      allowAnonymous: false,
      ...(o.ca !== undefined && { ca: o.ca }),
      ...(o.servername !== undefined && { servername: o.servername }),
      ...(o.fingerprint !== undefined && { fingerprint: o.fingerprint }),
      ...(o.connectTimeoutMs !== undefined && { connectTimeoutMs: o.connectTimeoutMs }),
    };
    const { socket, info } = await openTransport(transportOpts);
    this.lastTransport = info;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const auth = Buffer.from(`${o.username}:${o.password}`, 'utf8').toString('base64');
    const headers: Record<string, string> = { authorization: `Basic ${auth}`, accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const fullPath = `/rest${path}`;

    return new Promise((resolve, reject) => {
      const req = http.request({
        method,
        host: o.host,
        port,
        path: fullPath,
        headers,
        // No agent: with createConnection and no agent, node uses our already-verified socket for this request.
        createConnection: () => socket,
      });
      const timer = setTimeout(() => {
        req.destroy(
          new TimeoutError('command_timeout', `${method} ${fullPath} got no complete answer in ${timeoutMs} ms`),
        );
      }, timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        if (e instanceof TimeoutError) reject(e);
        else
          reject(new ClosedError(e.code === 'ECONNRESET' ? 'reset' : 'closed', `${method} ${fullPath}: ${e.message}`));
      });
      req.on('response', (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          clearTimeout(timer);
          socket.destroy();
          const text = Buffer.concat(parts).toString('utf8');
          const status = res.statusCode ?? 0;
          let json: unknown;
          try {
            json = text.length > 0 ? JSON.parse(text) : undefined;
          } catch {
            if (status < 300) {
              reject(new RestError(status, 'answer is not JSON', fullPath));
              return;
            }
          }
          if (status === 401) {
            reject(new AuthError('auth_failed', `REST login as ${JSON.stringify(o.username)} refused`));
          } else if (status >= 300) {
            const err = json as { message?: string; detail?: string } | undefined;
            reject(new RestError(status, err?.detail ?? err?.message ?? '', fullPath));
          } else {
            resolve(json);
          }
        });
      });
      req.end(payload);
    });
  }
}

function asRows(v: unknown): Row[] {
  if (Array.isArray(v)) return v as Row[];
  if (v && typeof v === 'object') return [v as Row];
  return [];
}

function asRow(v: unknown): Row {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : {};
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRefreshingFetch } from '../src/api/refresh';

// A loopback stand-in for the session endpoints: tokens are counters, so the test sees exactly what was sent.
let server: Server;
let base = '';
let valid = 'a1';
let refreshCalls = 0;
let refreshOk = true;
let refreshDelayMs = 0;
let seenBodies: string[] = [];

async function body(req: IncomingMessage) {
  let s = '';
  for await (const c of req) s += c;
  return s;
}
function json(res: ServerResponse, status: number, b: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(b));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const text = await body(req);
    if (req.url === '/api/auth/refresh') {
      refreshCalls++;
      await new Promise((r) => setTimeout(r, refreshDelayMs));
      if (!refreshOk) return json(res, 401, { detail: 'refresh token revoked', code: 'invalid_refresh_token' });
      valid = `a${refreshCalls + 1}`;
      return json(res, 200, { access_token: valid, token_type: 'bearer', expires_in: 900 });
    }
    const token = req.headers.authorization?.slice(7);
    if (!token) return json(res, 401, { detail: 'sign in', code: 'not_authenticated' });
    if (req.url === '/forbidden') return json(res, 403, { detail: 'no', code: 'forbidden' });
    if (req.url === '/bad-key') return json(res, 401, { detail: 'unknown key', code: 'api_key_invalid' });
    if (token !== valid) return json(res, 401, { detail: 'expired', code: 'token_expired' });
    seenBodies.push(text);
    return json(res, 200, { ok: true, url: req.url });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  valid = 'a1';
  refreshCalls = 0;
  refreshOk = true;
  refreshDelayMs = 0;
  seenBodies = [];
});

// Node has no cookie jar: the client's "cookie" is the Authorization header of whatever token is current now.
function client(onLost?: () => void) {
  return createRefreshingFetch({
    refreshUrl: '/api/auth/refresh',
    onSessionLost: onLost,
    fetch: (r) => {
      const h = new Headers(r.headers);
      if (!r.url.endsWith('/api/auth/refresh') && !h.has('x-anonymous')) h.set('authorization', `Bearer ${valid}`);
      return fetch(new Request(r, { headers: h }));
    },
  });
}

describe('refreshing fetch', () => {
  it('passes successful responses through without refreshing', async () => {
    const res = await client()(new Request(`${base}/x`));
    expect(res.status).toBe(200);
    expect(refreshCalls).toBe(0);
  });

  it('refreshes once on token_expired and retries with the original body', async () => {
    const f = createRefreshingFetch({
      fetch: (r) => {
        const h = new Headers(r.headers);
        // First attempt carries a stale token; the retry (after refresh) carries the current one.
        if (!r.url.endsWith('/refresh')) h.set('authorization', `Bearer ${refreshCalls === 0 ? 'stale' : valid}`);
        return fetch(new Request(r, { headers: h }));
      },
    });
    const res = await f(new Request(`${base}/write`, { method: 'POST', body: '{"name":"x"}' }));
    expect(res.status).toBe(200);
    expect(refreshCalls).toBe(1);
    expect(seenBodies).toEqual(['{"name":"x"}']);
  });

  it('shares one refresh among concurrent expired requests (single flight)', async () => {
    refreshDelayMs = 50;
    let stale = true;
    const f = createRefreshingFetch({
      fetch: (r) => {
        const h = new Headers(r.headers);
        if (!r.url.endsWith('/refresh')) h.set('authorization', `Bearer ${stale ? 'stale' : valid}`);
        return fetch(new Request(r, { headers: h })).then((res) => {
          if (r.url.endsWith('/refresh') && res.ok) stale = false;
          return res;
        });
      },
    });
    const all = await Promise.all(Array.from({ length: 8 }, (_, i) => f(new Request(`${base}/r${i}`))));
    expect(all.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(refreshCalls).toBe(1);
  });

  it('refreshes when the browser no longer sends the expired access cookie (not_authenticated)', async () => {
    let dropped = true;
    const f = createRefreshingFetch({
      fetch: (r) => {
        const h = new Headers(r.headers);
        if (!r.url.endsWith('/refresh') && !dropped) h.set('authorization', `Bearer ${valid}`);
        return fetch(new Request(r, { headers: h })).then((res) => {
          if (r.url.endsWith('/refresh') && res.ok) dropped = false;
          return res;
        });
      },
    });
    expect((await f(new Request(`${base}/me`))).status).toBe(200);
    expect(refreshCalls).toBe(1);
  });

  it('reports a lost session once the refresh itself fails, and returns the original 401', async () => {
    refreshOk = false;
    let lost = 0;
    const f = createRefreshingFetch({ onSessionLost: () => lost++, fetch: (r) => fetch(r) });
    const res = await f(new Request(`${base}/me`));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('not_authenticated');
    expect(refreshCalls).toBe(1);
    expect(lost).toBe(1);
  });

  it('leaves other errors alone: 403, and 401s that a refresh cannot fix', async () => {
    const f = client();
    expect((await f(new Request(`${base}/forbidden`))).status).toBe(403);
    expect((await f(new Request(`${base}/bad-key`))).status).toBe(401);
    expect(refreshCalls).toBe(0);
  });
});

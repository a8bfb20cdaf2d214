import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackBody, teamsBody } from '../../../src/features/alerts/notify/chat.js';
import { validateChannelUrl } from '../../../src/features/alerts/notify/http.js';
import { webhookBody } from '../../../src/features/alerts/notify/payload.js';
import { deliver } from '../../../src/features/alerts/notify/send.js';
import { verifySignature } from '../../../src/features/alerts/notify/sign.js';
import { renderMessage } from '../../../src/features/alerts/notify/template.js';
import { freePort } from '../../global-setup.js';
import { NOW, notice } from './fixtures.js';

// Webhook, Slack and Teams sends against a real HTTP server on loopback.

type Seen = { method: string; path: string; headers: http.IncomingHttpHeaders; body: Buffer };
let server: http.Server;
let base: string;
let seen: Seen[] = [];
let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void;
const deps = { now: () => NOW };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      answer(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  seen = [];
  answer = (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
});

describe('webhook', () => {
  it('posts the JSON body with the delivery headers and a signature over the exact bytes', async () => {
    const n = notice();
    const target = { kind: 'webhook' as const, url: `${base}/hooks/tod`, secret: 'whsec_abc', template: null };
    expect(await deliver(target, n, deps)).toEqual({ ok: true, status: 200 });

    expect(seen).toHaveLength(1);
    const r = seen[0]!;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/hooks/tod');
    expect(JSON.parse(r.body.toString('utf8'))).toStrictEqual(webhookBody(n, renderMessage(null, n, NOW)));
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['content-length']).toBe(String(r.body.length));
    expect(r.headers['user-agent']).toBe('TOD-Alerts/1');
    expect(r.headers['x-tod-delivery']).toBe('dlv-1');
    expect(r.headers['x-tod-event']).toBe('alert.firing');
    const sig = String(r.headers['x-tod-signature']);
    expect(sig).toMatch(new RegExp(`^t=${Math.floor(NOW.getTime() / 1000)},v1=[0-9a-f]{64}$`));
    expect(verifySignature('whsec_abc', sig, r.body, NOW.getTime() / 1000)).toBe(true);
    expect(verifySignature('whsec_other', sig, r.body, NOW.getTime() / 1000)).toBe(false);
  });

  it("uses the channel's template for the message, and the caller's user agent", async () => {
    const target = {
      kind: 'webhook' as const,
      url: `${base}/h`,
      secret: 's',
      template: '{{device.name}} is {{status}}',
    };
    await deliver(target, notice(), { ...deps, userAgent: 'TOD-Alerts/1 (test)' });
    expect(JSON.parse(seen[0]!.body.toString()).message).toBe('core-router-1 is firing');
    expect(seen[0]!.headers['user-agent']).toBe('TOD-Alerts/1 (test)');
  });
});

describe('Slack and Teams', () => {
  it('post their bodies unsigned', async () => {
    const n = notice({ event: 'alert.acknowledged', status: 'acknowledged', acknowledgedBy: 'ana' });
    const message = renderMessage(null, n, NOW);
    answer = (_req, res) => res.writeHead(202).end();
    expect(await deliver({ kind: 'slack', url: `${base}/services/T0/B0/tok`, template: null }, n, deps)).toEqual({
      ok: true,
      status: 202,
    });
    expect(await deliver({ kind: 'teams', url: `${base}/workflows/x`, template: null }, n, deps)).toEqual({
      ok: true,
      status: 202,
    });
    expect(JSON.parse(seen[0]!.body.toString())).toStrictEqual(slackBody(n, message, NOW));
    expect(JSON.parse(seen[1]!.body.toString())).toStrictEqual(teamsBody(n, message, NOW));
    for (const r of seen) {
      expect(r.headers['x-tod-signature']).toBeUndefined();
      expect(r.headers['x-tod-delivery']).toBe('dlv-1');
      expect(r.headers['x-tod-event']).toBe('alert.acknowledged');
    }
  });
});

describe('failures', () => {
  const slack = (path = '/services/T0/B0/SECRETTOKEN') => ({
    kind: 'slack' as const,
    url: `${base}${path}`,
    template: null,
  });

  it('5xx, 429 and 408 are worth another try; other 4xx are not; no reason carries the URL', async () => {
    for (const [status, retryable] of [
      [500, true],
      [503, true],
      [429, true],
      [408, true],
      [404, false],
      [403, false],
      [400, false],
    ] as const) {
      answer = (_req, res) => res.writeHead(status).end('no_service');
      const o = await deliver(slack(), notice(), deps);
      expect(o).toEqual({ ok: false, retryable, reason: `http_${status}`, status });
      expect(JSON.stringify(o)).not.toContain('SECRETTOKEN');
    }
  });

  it('refuses a redirect rather than following it', async () => {
    answer = (req, res) =>
      req.url === '/moved' ? res.writeHead(302, { location: `${base}/elsewhere` }).end() : res.writeHead(200).end();
    const o = await deliver({ kind: 'webhook', url: `${base}/moved`, secret: 's', template: null }, notice(), deps);
    expect(o).toEqual({ ok: false, retryable: false, reason: 'redirect_refused', status: 302 });
    expect(seen.map((r) => r.path)).toEqual(['/moved']);
  });

  it('gives up on a server that never answers', async () => {
    answer = () => {}; // holds the request open
    const o = await deliver(slack(), notice(), { ...deps, timeoutMs: 200 });
    expect(o).toEqual({ ok: false, retryable: true, reason: 'timeout' });
  });

  it('a refused connection is worth another try', async () => {
    const port = await freePort();
    const o = await deliver({ kind: 'teams', url: `http://127.0.0.1:${port}/x`, template: null }, notice(), deps);
    expect(o).toEqual({ ok: false, retryable: true, reason: 'connection_refused' });
  });

  it('reads a huge response only to a bound, then cuts the connection', async () => {
    let closed!: () => void;
    const cut = new Promise<void>((r) => {
      closed = r;
    });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let open = true;
      res.on('close', () => {
        open = false;
        closed();
      });
      // Endless: only the client hanging up ends it.
      const pump = () => {
        while (open && res.write(chunk));
        if (open) res.once('drain', pump);
      };
      pump();
    };
    // A timeout far beyond the test's: only the bound can end the stream in time.
    expect(await deliver(slack(), notice(), { ...deps, timeoutMs: 600_000 })).toEqual({ ok: true, status: 200 });
    await cut;
  });

  it('refuses a URL that is not http or https without sending anything', async () => {
    const o = await deliver(
      { kind: 'webhook', url: 'file:///etc/passwd', secret: 's', template: null },
      notice(),
      deps,
    );
    expect(o).toEqual({ ok: false, retryable: false, reason: 'invalid_url' });
  });
});

describe('resolveHost', () => {
  it('connects to the address it answers, keeping the host name in the request', async () => {
    const port = (server.address() as AddressInfo).port;
    const asked: [string, number][] = [];
    const resolveHost = async (host: string, p: number) => {
      asked.push([host, p]);
      return '127.0.0.1';
    };
    const o = await deliver(
      { kind: 'slack', url: `http://hooks.example.invalid:${port}/s`, template: null },
      notice(),
      {
        ...deps,
        resolveHost,
      },
    );
    expect(o).toEqual({ ok: true, status: 200 });
    expect(asked).toEqual([['hooks.example.invalid', port]]);
    expect(seen[0]!.headers.host).toBe(`hooks.example.invalid:${port}`);
  });

  it('a refused target is final and nothing is sent', async () => {
    const resolveHost = async () => {
      throw Object.assign(new Error('denied'), { code: 'target_denied' });
    };
    const o = await deliver({ kind: 'slack', url: `${base}/s`, template: null }, notice(), { ...deps, resolveHost });
    expect(o).toEqual({ ok: false, retryable: false, reason: 'target_denied' });
    expect(seen).toHaveLength(0);
  });
});

describe('validateChannelUrl', () => {
  it('takes http and https URLs only', () => {
    expect(validateChannelUrl('https://hooks.slack.com/services/T0/B0/x')).toBeNull();
    expect(validateChannelUrl('http://10.0.0.5:8080/hook')).toBeNull();
    expect(validateChannelUrl('ftp://example.com/x')).toBe('the URL must start with http:// or https://');
    expect(validateChannelUrl('javascript:alert(1)')).toBe('the URL must start with http:// or https://');
    expect(validateChannelUrl('not a url')).toBe('not a valid URL');
    expect(validateChannelUrl(`https://example.com/${'a'.repeat(2048)}`)).toBe(
      'the URL is longer than 2048 characters',
    );
  });
});

// REST client against a small HTTPS server on loopback that answers like RouterOS 7 (JSON, Basic auth, the error
// body shape `{"error":400,"message":"Bad Request","detail":"..."}`), serving the real 7.16 fixture replies.

import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restText as fixture } from '../../../fixtures/index.js';
import { AuthError, q, RestError, RouterOSRestClient, TlsError } from '../src/index.js';
import { type TestCerts, testCerts } from './helpers/certs.js';
import { rejection } from './helpers/util.js';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: string;
}

let certs: TestCerts;
let server: https.Server;
let port: number;
const seen: Seen[] = [];

beforeAll(async () => {
  certs = testCerts();
  server = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      const send = (status: number, json?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(json === undefined ? '' : JSON.stringify(json));
      };
      if (req.headers.authorization !== `Basic ${Buffer.from('admin:pw').toString('base64')}`) {
        return send(401, { error: 401, message: 'Unauthorized' });
      }
      const route = `${req.method} ${req.url}`;
      if (route === 'GET /rest/system/resource') return res.end(fixture('system_resource'));
      if (route === 'POST /rest/interface/print') return res.end(fixture('interface'));
      if (route === 'PUT /rest/ip/address') return send(201, { '.id': '*9', ...JSON.parse(body) });
      if (route === 'PATCH /rest/ip/address/*9') return send(200, { '.id': '*9', ...JSON.parse(body) });
      if (route === 'DELETE /rest/ip/address/*9') return send(204);
      if (route === 'DELETE /rest/ip/address/*404') return send(404, { error: 404, message: 'Not Found' });
      if (route === 'POST /rest/ip/address/add')
        return send(400, { error: 400, message: 'Bad Request', detail: 'failure: already have such address' });
      if (route === 'GET /rest/slow') return;
      send(400, { error: 400, message: 'Bad Request', detail: 'no such command' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(extra: Partial<ConstructorParameters<typeof RouterOSRestClient>[0]> = {}) {
  return new RouterOSRestClient({ host: '127.0.0.1', port, username: 'admin', password: 'pw', ca: certs.ca, ...extra });
}

describe('REST client', () => {
  it('GET a single-value menu over CA-verified HTTPS', async () => {
    const c = client();
    const [res] = await c.get('/system/resource');
    expect(res?.['board-name']).toBe('hAP');
    expect(res?.uptime).toBe('1w1h10m14s');
    expect(c.lastTransport?.kind).toBe('tls-verified');
    expect(c.lastTransport?.fingerprint).toBe(certs.fingerprint);
  });

  it('print sends .proplist and the query words without "?"', async () => {
    const rows = await client().print('/interface', {
      proplist: ['name', 'type'],
      query: q.or(q.eq('type', 'ether'), q.eq('type', 'vlan')),
    });
    expect(rows.map((r) => r.name)).toEqual(['ether1', 'ether2']);
    const req = seen.findLast((s) => s.url === '/rest/interface/print')!;
    expect(JSON.parse(req.body)).toEqual({
      '.proplist': ['name', 'type'],
      '.query': ['type=ether', 'type=vlan', '#|'],
    });
  });

  it('add (PUT), set (PATCH), remove (DELETE)', async () => {
    const c = client();
    expect(await c.add('/ip/address', { address: '10.0.0.1/24', interface: 'ether1' })).toEqual({
      '.id': '*9',
      address: '10.0.0.1/24',
      interface: 'ether1',
    });
    expect((await c.set('/ip/address', '*9', { comment: 'x' })).comment).toBe('x');
    await expect(c.remove('/ip/address', '*9')).resolves.toBeUndefined();
  });

  it('HTTP errors become RestError with the RouterOS detail; 401 becomes AuthError without the password', async () => {
    const err = await rejection(client().exec('/ip/address/add', { address: '10.0.0.1/24' }));
    expect(err).toBeInstanceOf(RestError);
    expect(err.code).toBe('http_400');
    expect((err as RestError).detail).toBe('failure: already have such address');
    expect((await rejection(client().remove('/ip/address', '*404'))).code).toBe('http_404');
    const auth = await rejection(client({ password: 'wrong-Pa55' }).get('/system/resource'));
    expect(auth).toBeInstanceOf(AuthError);
    expect(auth.message).not.toContain('wrong-Pa55');
  });

  it('insecure mode pins the certificate; a mismatch fails before any credentials are sent', async () => {
    const c = client({ ca: undefined, tlsMode: 'insecure' });
    await c.get('/system/resource');
    expect(c.lastTransport?.kind).toBe('tls-pinned');
    const before = seen.length;
    const err = await rejection(
      client({ ca: undefined, tlsMode: 'insecure', fingerprint: certs.otherFingerprint }).get('/system/resource'),
    );
    expect(err).toBeInstanceOf(TlsError);
    expect(err.code).toBe('tls_fingerprint_mismatch');
    expect(seen.length).toBe(before);
  });

  it('verify mode without the CA refuses the self-made certificate', async () => {
    const err = await rejection(client({ ca: undefined }).get('/system/resource'));
    expect(err.code).toBe('tls_certificate');
  });

  it('a request with no answer times out', async () => {
    const err = await rejection(client({ timeoutMs: 150 }).request('GET', '/slow'));
    expect(err.code).toBe('command_timeout');
  });
});

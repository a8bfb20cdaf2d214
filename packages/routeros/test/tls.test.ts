// TLS transport: CA-verified, pinned (trust on first use), anonymous DH, plain fallback. Certificates are made
// once per run with the openssl CLI (test/global-setup.ts), served by the mini router over real TLS sockets on
// loopback.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectError, type RouterOSClient, TlsError } from '../src/index.js';
import { type TestCerts, testCerts } from './helpers/certs.js';
import { blackhole, MiniRouter } from './helpers/mini-router.js';
import { closedPort, connectPlain, rejection } from './helpers/util.js';

let certs: TestCerts;
let ca: string;
let cert: string;
let key: string;
let certFingerprint: string;
let otherFingerprint: string;
let dnsOnlyCert: string;

beforeAll(() => {
  certs = testCerts();
  ({ ca, cert, key, dnsOnlyCert, otherFingerprint } = certs);
  certFingerprint = certs.fingerprint;
});

const routers: MiniRouter[] = [];
const cleanups: Array<() => Promise<void>> = [];
let client: RouterOSClient | undefined;
afterEach(async () => {
  client?.destroy();
  client = undefined;
  for (const r of routers.splice(0)) await r.close();
  for (const c of cleanups.splice(0)) await c();
});

async function start(opts: ConstructorParameters<typeof MiniRouter>[0]): Promise<number> {
  const r = new MiniRouter(opts);
  routers.push(r);
  return r.listen();
}

describe('TLS with a certificate', () => {
  it('verify: CA-verified TLS, fingerprint reported', async () => {
    const tlsPort = await start({ tls: { key, cert } });
    client = await connectPlain(0, { tlsMode: 'verify', tlsPort, ca });
    expect(client.transport.kind).toBe('tls-verified');
    expect(client.transport.fingerprint).toBe(certFingerprint);
    expect(client.transport.fallbacks).toEqual([]);
    expect(client.transport.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(await client.command('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('verify without the CA: TlsError tls_certificate, no fallback', async () => {
    const tlsPort = await start({ tls: { key, cert } });
    const err = await rejection(connectPlain(0, { tlsMode: 'verify', tlsPort }));
    expect(err).toBeInstanceOf(TlsError);
    expect(err.code).toBe('tls_certificate');
  });

  it('verify checks the name: a servername the certificate does not carry fails, one it carries passes', async () => {
    const tlsPort = await start({ tls: { key, cert } });
    const err = await rejection(connectPlain(0, { tlsMode: 'verify', tlsPort, ca, servername: 'other.example' }));
    expect(err).toBeInstanceOf(TlsError);
    expect(err.code).toBe('tls_certificate');
    client = await connectPlain(0, { tlsMode: 'verify', tlsPort, ca, servername: 'localhost' });
    expect(client.transport.kind).toBe('tls-verified');
  });

  it('verify by IP needs the IP in the certificate (a localhost-only certificate is refused for 127.0.0.1)', async () => {
    const tlsPort = await start({ tls: { key, cert: dnsOnlyCert } });
    const err = await rejection(connectPlain(0, { tlsMode: 'verify', tlsPort, ca }));
    expect(err.code).toBe('tls_certificate');
    expect(err.message).toMatch(/IP: 127\.0\.0\.1/);
  });

  it('auto without the CA: falls back to unverified TLS and reports the fingerprint to pin', async () => {
    const tlsPort = await start({ tls: { key, cert } });
    client = await connectPlain(0, { tlsMode: 'auto', tlsPort });
    expect(client.transport.kind).toBe('tls-pinned');
    expect(client.transport.fingerprint).toBe(certFingerprint);
    expect(client.transport.fallbacks).toHaveLength(1);
    expect(client.transport.fallbacks[0]).toMatch(/^verified: /);
    expect(await client.command('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('insecure with the right pin (any case/separators) connects', async () => {
    const tlsPort = await start({ tls: { key, cert } });
    const pin = certFingerprint.replaceAll(':', '').toLowerCase();
    client = await connectPlain(0, { tlsMode: 'insecure', tlsPort, fingerprint: pin });
    expect(client.transport.kind).toBe('tls-pinned');
  });

  it('a changed certificate: TlsError tls_fingerprint_mismatch, and no fallback to plain', async () => {
    const tlsPort = await start({ tls: { key, cert } });
    const plainPort = await start({});
    const err = await rejection(connectPlain(plainPort, { tlsMode: 'auto', tlsPort, fingerprint: otherFingerprint }));
    expect(err).toBeInstanceOf(TlsError);
    expect(err.code).toBe('tls_fingerprint_mismatch');
    expect((err as TlsError).fingerprint).toBe(certFingerprint);
    expect(err.message).toContain(otherFingerprint);
    expect(routers[1]!.connections).toHaveLength(0);
  });
});

describe('anonymous DH (api-ssl without a certificate)', () => {
  it('auto: verified and unverified fail, ADH succeeds with a TLS 1.2 ADH cipher', async () => {
    const tlsPort = await start({ tls: 'anon' });
    client = await connectPlain(0, { tlsMode: 'auto', tlsPort });
    expect(client.transport.kind).toBe('tls-anon');
    expect(client.transport.cipher).toMatch(/^ADH-/);
    expect(client.transport.tlsVersion).toBe('TLSv1.2');
    expect(client.transport.fingerprint).toBeUndefined();
    expect(client.transport.fallbacks.map((f) => f.split(':')[0])).toEqual(['verified', 'pinned']);
    expect(await client.command('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('verify mode never uses anonymous TLS', async () => {
    const tlsPort = await start({ tls: 'anon' });
    const err = await rejection(connectPlain(0, { tlsMode: 'verify', tlsPort }));
    expect(err).toBeInstanceOf(TlsError);
    expect(err.code).toBe('tls_handshake');
  });

  it('a pinned device that suddenly offers only anonymous TLS is refused', async () => {
    const tlsPort = await start({ tls: 'anon' });
    const err = await rejection(connectPlain(0, { tlsMode: 'insecure', tlsPort, fingerprint: certFingerprint }));
    expect(err).toBeInstanceOf(TlsError);
    expect(err.code).toBe('tls_pin_without_certificate');
  });
});

describe('plain fallback', () => {
  it('auto: TLS port refused -> plain 8728, reported', async () => {
    const plainPort = await start({});
    const tlsPort = await closedPort();
    client = await connectPlain(plainPort, { tlsMode: 'auto', tlsPort });
    expect(client.transport.kind).toBe('plain');
    expect(client.transport.fallbacks).toHaveLength(1);
    expect(client.transport.fallbacks[0]).toContain('ECONNREFUSED');
  });

  it('insecure: TLS port refused -> ConnectError, plain is never tried', async () => {
    const plainPort = await start({});
    const tlsPort = await closedPort();
    const err = await rejection(connectPlain(plainPort, { tlsMode: 'insecure', tlsPort }));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.code).toBe('ECONNREFUSED');
    expect(routers[0]!.connections).toHaveLength(0);
  });

  it('auto: nothing reachable -> the last ConnectError, listing every attempt', async () => {
    const err = await rejection(connectPlain(await closedPort(), { tlsMode: 'auto', tlsPort: await closedPort() }));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.code).toBe('ECONNREFUSED');
    expect((err as ConnectError).attempts?.map((a) => a.split(':')[0])).toEqual(['verified', 'plain']);
  });

  it('auto: a TLS port that hangs the handshake falls back to plain after the connect timeout', async () => {
    const bh = await blackhole();
    cleanups.push(bh.close);
    const plainPort = await start({});
    client = await connectPlain(plainPort, { tlsMode: 'auto', tlsPort: bh.port, connectTimeoutMs: 150 });
    expect(client.transport.kind).toBe('plain');
    expect(client.transport.fallbacks[0]).toMatch(/timed out/);
  });
});

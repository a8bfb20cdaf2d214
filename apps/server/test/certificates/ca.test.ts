import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { type Authority, createCa, createCrl, type KeyType, signDevice } from '../../src/features/certificates/ca.js';

/** A TLS server presenting `cert`, and a client verifying against `ca` (and `crl`): did the handshake pass? */
async function handshake(server: { certPem: string; keyPem: string }, ca: string, crl?: string, name = '127.0.0.1') {
  const srv = tls.createServer({ cert: server.certPem, key: server.keyPem }, (s) => s.end());
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  try {
    return await new Promise<string>((resolve) => {
      const c = tls.connect({
        host: '127.0.0.1',
        port,
        ca,
        ...(crl ? { crl } : {}),
        checkServerIdentity: (_h, cert) => tls.checkServerIdentity(name, cert),
      });
      c.once('secureConnect', () => {
        c.destroy();
        resolve('ok');
      });
      c.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
  } finally {
    srv.close();
  }
}

describe.each<KeyType>(['ecdsa-p256', 'rsa-2048'])('an organisation CA (%s)', (type) => {
  it('signs a router certificate that verifies against it, names the router, and is refused once revoked', async () => {
    const ca = await createCa({ commonName: 'Acme routers CA', organisation: 'Acme', type, days: 3650 });
    const authority: Authority = { certPem: ca.certPem, keyPem: ca.keyPem, type };
    const caCert = new X509Certificate(ca.certPem);
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toContain('CN=Acme routers CA');
    expect(new Date(caCert.validTo).getFullYear()).toBeGreaterThanOrEqual(new Date().getFullYear() + 9);
    expect(ca.keyPem).toContain(type === 'rsa-2048' ? 'BEGIN RSA PRIVATE KEY' : 'BEGIN EC PRIVATE KEY');

    const dev = await signDevice(authority, {
      commonName: 'core-1',
      sans: ['127.0.0.1', 'core-1.example.net'],
      days: 730,
    });
    const cert = new X509Certificate(dev.certPem);
    expect(cert.subject).toBe('CN=core-1');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:core-1.example.net');
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    expect(dev.fingerprint).toBe(cert.fingerprint256);
    const days = (new Date(cert.validTo).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(729);
    expect(days).toBeLessThan(731);

    const emptyCrl = await createCrl(authority, []);
    expect(await handshake(dev, ca.certPem, emptyCrl)).toBe('ok');
    expect(await handshake(dev, ca.certPem, emptyCrl, '10.0.0.9')).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    const other = await createCa({ commonName: 'Other CA', organisation: 'Other', type, days: 10 });
    expect(await handshake(dev, other.certPem)).not.toBe('ok');

    const revoked = await createCrl(authority, [{ serial: dev.serial, at: new Date() }]);
    expect(await handshake(dev, ca.certPem, revoked)).toBe('CERT_REVOKED');
  });
});

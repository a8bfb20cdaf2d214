// API-SSL on real TLS sockets: a certificate made with the openssl CLI (verified against it, or pinned), and
// anonymous DH only (what a router without a certificate offers).
import { RouterOSClient, TlsError } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';

let fleet: Fleet;
const users = [{ name: 'admin', password: 'tls' }];

beforeAll(async () => {
  fleet = await startFleet({
    specs: [
      { users, tls: 'cert' },
      { users, tls: 'anon' },
    ],
  });
});
afterAll(() => fleet.stop());

function opts(i: number) {
  const d = fleet.devices[i]!;
  return {
    host: d.address,
    port: d.port,
    tlsPort: d.tlsPort as number,
    username: 'admin',
    password: 'tls',
    connectTimeoutMs: 3000,
  };
}

describe('api-ssl', () => {
  it('certificate: verified against the simulator certificate', async () => {
    const c = await RouterOSClient.connect({
      ...opts(0),
      tlsMode: 'verify',
      ca: fleet.certificate as Buffer,
      servername: 'localhost',
    });
    expect(c.transport.kind).toBe('tls-verified');
    expect((await c.command('/system/identity/print'))[0]?.name).toBe('MikroTik');
    await c.close();
  });

  it('certificate: unverified but pinned (auto mode without the CA)', async () => {
    const c = await RouterOSClient.connect({ ...opts(0), tlsMode: 'insecure' });
    expect(c.transport.kind).toBe('tls-pinned');
    expect(c.transport.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    await c.close();
  });

  it('anonymous DH: an ADH cipher over TLS 1.2, no certificate', async () => {
    const c = await RouterOSClient.connect({ ...opts(1), tlsMode: 'insecure' });
    expect(c.transport.kind).toBe('tls-anon');
    expect(c.transport.cipher).toMatch(/^ADH-AES(128|256)-GCM/);
    expect(c.transport.tlsVersion).toBe('TLSv1.2');
    expect(await c.command('/system/resource/print')).toHaveLength(1);
    await c.close();
  });

  it('anonymous DH cannot satisfy a verifying client', async () => {
    await expect(RouterOSClient.connect({ ...opts(1), tlsMode: 'verify' })).rejects.toBeInstanceOf(TlsError);
  });

  it('not logged in over TLS is still a !fatal', async () => {
    const c = await RouterOSClient.connect({ ...opts(0), tlsMode: 'insecure', password: 'bad' }).catch(
      (e: unknown) => e,
    );
    expect(String(c)).toMatch(/invalid user name or password/);
  });
});

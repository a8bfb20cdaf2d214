import { X509Certificate } from 'node:crypto';
import { RouterOSClient } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCa } from '../../src/features/certificates/ca.js';
import { certificatesFeature } from '../../src/features/certificates/certificates.feature.js';
import { type ChangesEnv, startChangesEnv, waitOperation } from '../changes/helpers.js';
import { routerApi } from '../config-backups/helpers.js';
import { startDispatcher } from '../events/helpers.js';
import { expectStatus } from '../helpers/api.js';

// A certificate from the organisation's CA onto a simulated router's api-ssl through the safe-change engine, then
// TOD connecting to it with full verification; rotation, revocation (back to pinned TLS), and the CA key sealed.

vi.setConfig({ testTimeout: 180_000 });
let e: ChangesEnv;
let deviceId: string;
const stops: Array<() => Promise<void>> = [];

type Cert = { id: string; state: string; fingerprint: string; name: string; error_detail: string | null };

beforeAll(async () => {
  e = await startChangesEnv([{ version: '7.16', identity: 'core-1', tls: 'cert' }]);
  const d = e.fleet.devices[0]!;
  const r = await e.admin.post(`${e.base}/devices?probe=false`, {
    name: 'core-1',
    host: d.address,
    port: d.port,
    tls_port: d.tlsPort,
    tls_mode: 'auto',
    ssh_port: d.sshPort,
    username: d.username,
    password: d.password,
  });
  deviceId = expectStatus<{ id: string }>(r, 201).id;
  const handlers = certificatesFeature.handlers!({ service: e.ctx.services.certificates } as never);
  await startDispatcher(stops, { systemPool: e.ctx.pools.system, handlers });
}, 120_000);
afterAll(async () => {
  for (const s of stops) await s();
  await e?.stop();
});

const certs = async (q = '') =>
  expectStatus<{ items: Cert[] }>(await e.admin.get(`${e.base}/certificates${q}`), 200).items;
async function settled(id: string): Promise<Cert> {
  for (let i = 0; i < 300; i++) {
    const c = (await certs()).find((x) => x.id === id);
    if (c && !['pending', 'deploying'].includes(c.state)) return c;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`certificate ${id} never settled`);
}
/** How TOD trusts the device's TLS (the pinned fingerprint is not in the API). */
const device = async () =>
  (await e.ctx.pools.owner.query('select tls_mode, tls_fingerprint from devices where id = $1', [deviceId])).rows[0];
/** A command straight to the simulated router, as another client would send it. */
async function onRouter(path: string, args: Record<string, string> = {}) {
  const c = await routerApi(e, 0);
  try {
    return (await c.command(path, args)) as Array<Record<string, string>>;
  } finally {
    c.close();
  }
}

/** What the router presents on api-ssl now, to a client that verifies against `ca`. */
async function presented(ca: string) {
  const d = e.fleet.devices[0]!;
  const c = await RouterOSClient.connect({
    host: d.address,
    port: d.port,
    tlsPort: d.tlsPort,
    tlsMode: 'verify',
    ca,
    username: d.username,
    password: d.password,
  });
  try {
    return c.transport;
  } finally {
    c.close();
  }
}

describe('the organisation CA', () => {
  it('is created once, its key sealed, its certificate downloadable', async () => {
    expect((await e.admin.get(`${e.base}/certificates/ca`)).statusCode).toBe(404);
    const ca = expectStatus<{ id: string; fingerprint: string; key_type: string }>(
      await e.admin.post(`${e.base}/certificates/ca`, { common_name: 'Acme routers CA' }),
      201,
    );
    expect(ca.key_type).toBe('ecdsa-p256');
    expect((await e.admin.post(`${e.base}/certificates/ca`, {})).statusCode).toBe(409);
    const pem = await e.admin.get(`${e.base}/certificates/ca/pem`);
    expect(pem.statusCode).toBe(200);
    expect(pem.headers['content-type']).toContain('application/x-pem-file');
    expect(new X509Certificate(pem.body).fingerprint256).toBe(ca.fingerprint);
    // Nowhere in the database in clear: not in its row, not anywhere in a dump of the table as text.
    const rows = await e.ctx.pools.owner.query('select * from certificate_authorities');
    const dump = JSON.stringify(rows.rows);
    expect(dump).not.toContain('PRIVATE KEY');
    expect(dump).not.toContain('BEGIN EC');
  });
});

describe('deploying to a router', () => {
  let first: Cert;
  it('puts a certificate of the CA on api-ssl, proves it with a verified connection, and verifies from then on', async () => {
    const pem = (await e.admin.get(`${e.base}/certificates/ca/pem`)).body;
    const r = expectStatus<{ operation_id: string; certificate_id: string }>(
      await e.admin.post(`${e.base}/devices/${deviceId}/certificate`, {}),
      202,
    );
    const op = await waitOperation(e, deviceId, r.operation_id, undefined, 120_000);
    expect(op.status, JSON.stringify(op)).toBe('confirmed');
    expect(op.commands.join('\n')).toContain('/ip service set [ find name=api-ssl ] certificate=tod-');
    first = await settled(r.certificate_id);
    expect(first.state, first.error_detail ?? '').toBe('deployed');
    expect(await device()).toMatchObject({ tls_mode: 'verify', tls_fingerprint: first.fingerprint });
    // Any client trusting the CA now verifies the router; the files TOD uploaded are gone.
    const t = await presented(pem);
    expect(t.kind).toBe('tls-verified');
    expect(t.fingerprint).toBe(first.fingerprint);
    const files = await onRouter('/file/print');
    expect(files.some((f) => f.name?.startsWith(first.name))).toBe(false);
  });

  it('refuses a router that presents another certificate', async () => {
    const other = await createCa({ commonName: 'Someone else', organisation: 'x', type: 'ecdsa-p256', days: 10 });
    await expect(presented(other.certPem)).rejects.toThrow();
    // TOD itself: the device is in verify mode; the router switched to a certificate of no trusted CA fails TLS.
    await onRouter('/ip/service/set', { numbers: 'api-ssl', certificate: 'none' });
    const probe = await e.ctx.services.deviceAccess
      .withApi({ tenantId: e.seed.a.id, deviceId }, 'change', async (c) => c.transport.kind)
      .catch((err: { code?: string }) => err.code);
    expect(probe).toBe('tls');
    await onRouter('/ip/service/set', { numbers: 'api-ssl', certificate: first.name });
  });

  it('rotates: a new certificate replaces the old one on the router, which is removed', async () => {
    const r = expectStatus<{ operation_id: string; certificate_id: string }>(
      await e.admin.post(`${e.base}/certificates/${first.id}/rotate`, {}),
      202,
    );
    await waitOperation(e, deviceId, r.operation_id, undefined, 120_000);
    const second = await settled(r.certificate_id);
    expect(second.state, second.error_detail ?? '').toBe('deployed');
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect((await certs()).find((c) => c.id === first.id)?.state).toBe('superseded');
    const names = (await onRouter('/certificate/print')).map((c) => c.name);
    expect(names).toContain(second.name);
    expect(names).not.toContain(first.name);
    first = second;
  });

  it('revokes: verification refuses it, and TOD falls back to pinned TLS on that certificate', async () => {
    const revoked = expectStatus<Cert>(
      await e.admin.post(`${e.base}/certificates/${first.id}/revoke`, { reason: 'key compromised' }),
      200,
    );
    expect(revoked.state).toBe('revoked');
    expect(await device()).toMatchObject({ tls_mode: 'auto', tls_fingerprint: first.fingerprint });
    const proof = await e.ctx.services.deviceAccess
      .withApi({ tenantId: e.seed.a.id, deviceId }, 'change', async (c) => c.transport.kind, { verifiedTls: true })
      .catch((err: { code?: string }) => err.code);
    expect(proof).toBe('tls');
    const kind = await e.ctx.services.deviceAccess.withApi(
      { tenantId: e.seed.a.id, deviceId },
      'change',
      async (c) => c.transport.kind,
    );
    expect(kind).toBe('tls-pinned');
    expect((await certs('?state=revoked')).map((c) => c.id)).toEqual([first.id]);
  });

  it('a router TOD cannot then reach with verified TLS keeps its old trust; the certificate is failed, with why', async () => {
    // api-ssl switched off behind TOD's back: the change itself applies over the plain API, the proof cannot.
    await onRouter('/ip/service/set', { numbers: 'api-ssl', disabled: 'yes' });
    await e.ctx.pools.owner.query(`update devices set tls_mode = 'auto', tls_fingerprint = null where id = $1`, [
      deviceId,
    ]);
    try {
      const r = expectStatus<{ operation_id: string; certificate_id: string }>(
        await e.admin.post(`${e.base}/devices/${deviceId}/certificate`, {}),
        202,
      );
      await waitOperation(e, deviceId, r.operation_id, undefined, 120_000);
      const c = await settled(r.certificate_id);
      expect(c.state).toBe('failed');
      expect(c.error_detail).toBeTruthy();
      expect((await device()).tls_mode).toBe('auto');
    } finally {
      await onRouter('/ip/service/set', { numbers: 'api-ssl', disabled: 'no' });
    }
  });
});

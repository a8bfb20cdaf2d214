import { randomBytes, randomUUID } from 'node:crypto';
import { createCa, signDevice } from '../../src/features/certificates/ca.js';
import type { AccessHelpers, AccessRow } from '../helpers/access.js';
import { headersFor, type SeededTenant } from '../helpers/seed.js';

// Who may see the organisation's CA and certificates (viewer), deploy and rotate (operator), and create the CA or
// revoke (admin). Certificates for the rows are written straight into the database: signing one through the API
// needs a router (test/certificates/deploy.test.ts does that end to end).

const base = (t: SeededTenant) => `/api/tenants/${t.id}`;

/** The tenant's CA, made through the API the first time. */
async function ensureCa(t: SeededTenant, h: AccessHelpers) {
  const r = await h.ctx.app.inject({ method: 'GET', url: `${base(t)}/certificates/ca`, headers: superHeaders(h) });
  if (r.statusCode === 200) return r.json().id as string;
  return h.create(t, 'certificates/ca', {});
}
const superHeaders = (h: AccessHelpers) => headersFor(h.seed, 'super_admin');

/** A certificate of the tenant's CA for a new device, stored as `state`. */
async function certificate(t: SeededTenant, h: AccessHelpers, state: 'deployed' | 'failed' = 'deployed') {
  const caId = await ensureCa(t, h);
  const device = await h.device(t);
  // Any valid certificate serves: the rows never reach a router.
  const ca = await createCa({ commonName: 'x', organisation: 'x', type: 'ecdsa-p256', days: 30 });
  const c = await signDevice(
    { certPem: ca.certPem, keyPem: ca.keyPem, type: 'ecdsa-p256' },
    {
      commonName: 'r',
      sans: ['127.0.0.1'],
      days: 10,
    },
  );
  const id = randomUUID();
  await h.ctx.pools.owner.query(
    `insert into device_certificates (id, tenant_id, device_id, ca_id, serial, name, common_name, fingerprint,
            cert_pem, key_sealed, not_before, not_after, state)
     values ($1, $2, $3, $4, $5, 'tod-x', 'r', $6, $7, $8, now(), now() + interval '10 days', $9)`,
    [id, t.id, device, caId, randomBytes(8).toString('hex'), c.fingerprint, c.certPem, Buffer.alloc(40), state],
  );
  return id;
}

export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/certificates/ca',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => {
      await ensureCa(t, h);
      return { url: `${base(t)}/certificates/ca` };
    },
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/certificates/ca',
    min: 'admin',
    ok: 201,
    tenantScoped: true,
    make: async (t, h) => {
      // One CA per organisation: each call starts from none.
      await h.ctx.pools.owner.query('delete from certificate_authorities where tenant_id = $1', [t.id]);
      return { url: `${base(t)}/certificates/ca`, body: { key_type: 'ecdsa-p256' } };
    },
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/certificates/ca/pem',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => {
      await ensureCa(t, h);
      return { url: `${base(t)}/certificates/ca/pem` };
    },
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/certificates',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `${base(t)}/certificates?state=expiring` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/certificates/{cert_id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/certificates/${await certificate(t, h)}` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/certificate',
    min: 'operator',
    ok: 202,
    tenantScoped: true,
    make: async (t, h) => {
      await ensureCa(t, h);
      return { url: `${base(t)}/devices/${await h.device(t)}/certificate`, body: {} };
    },
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/certificates/{cert_id}/rotate',
    min: 'operator',
    ok: 202,
    tenantScoped: true,
    make: async (t, h) => ({ url: `${base(t)}/certificates/${await certificate(t, h)}/rotate` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/certificates/{cert_id}/revoke',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `${base(t)}/certificates/${await certificate(t, h)}/revoke`,
      body: { reason: 'test' },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/certificates/bulk-deploy',
    min: 'operator',
    ok: 202,
    tenantScoped: true,
    make: async (t, h) => {
      await ensureCa(t, h);
      return { url: `${base(t)}/certificates/bulk-deploy`, body: { targets: { device_ids: [await h.device(t)] } } };
    },
  },
];

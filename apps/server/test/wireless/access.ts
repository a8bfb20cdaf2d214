import type { AccessRow } from '../helpers/access.js';

const base = '/api/tenants/{tenant_id}';
const deviceRow = (path: string, query = ''): AccessRow => ({
  method: 'GET',
  path: `${base}/devices/{device_id}/${path}`,
  min: 'viewer',
  ok: 200,
  tenantScoped: true,
  make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}/${path}${query}` }),
});

/** Who may call each route of wireless (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: `${base}/links`,
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/links` }),
  },
  {
    method: 'GET',
    path: `${base}/sites/{site_id}/links`,
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/sites/${await h.create(t, 'sites', { name: `s-${h.port()}` })}/links`,
    }),
  },
  deviceRow('links'),
  deviceRow('registrations'),
  deviceRow('unknown-clients'),
  deviceRow('rf-stats'),
  deviceRow('signal-history', '?mac_address=4C:5E:0C:00:00:01&range=7d'),
  {
    method: 'GET',
    path: `${base}/fleet/wireless-issues`,
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/fleet/wireless-issues` }),
  },
  {
    method: 'GET',
    path: '/api/fleet/wireless-issues',
    min: 'super_admin',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/fleet/wireless-issues' }),
  },
];

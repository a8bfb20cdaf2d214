import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/metrics/health',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}/metrics/health?range=1h` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/metrics/interfaces',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/devices/${await h.device(t)}/metrics/interfaces?range=24h`,
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/interfaces',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}/interfaces` }),
  },
];

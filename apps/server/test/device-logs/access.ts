import type { AccessRow } from '../helpers/access.js';

/** Who may read device logs (test/access-matrix.test.ts runs each row for every caller and against tenant B). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/logs',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}/logs?severity=error,critical` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/logs',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/logs?q=login&limit=10` }),
  },
];

import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/api-keys',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/api-keys` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/api-keys',
    min: 'admin',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/api-keys`, body: { name: 'k' } }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/api-keys/{key_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/api-keys/${await h.apiKey(t)}` }),
  },
];

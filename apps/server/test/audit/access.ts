import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/audit-logs',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/audit-logs` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/audit-logs/verify',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/audit-logs/verify` }),
  },
  {
    method: 'GET',
    path: '/api/audit-logs',
    min: 'super_admin',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/audit-logs' }),
  },
  {
    method: 'GET',
    path: '/api/audit-logs/verify',
    min: 'super_admin',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/audit-logs/verify' }),
  },
];

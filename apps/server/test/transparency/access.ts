import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/transparency/events',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/transparency/events` }),
  },
];

import { randomUUID } from 'node:crypto';
import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants',
    min: 'viewer',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/tenants' }),
  },
  {
    method: 'POST',
    path: '/api/tenants',
    min: 'super_admin',
    ok: 201,
    tenantScoped: false,
    make: async () => ({ url: '/api/tenants', body: { name: `New ${randomUUID()}` } }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}` }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}`, body: { description: `d ${randomUUID()}` } }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}',
    min: 'super_admin',
    ok: 204,
    tenantScoped: false,
    make: async (_t, h) => ({ url: `/api/tenants/${await h.tenant()}` }),
  },
];

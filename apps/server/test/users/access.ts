import { randomUUID } from 'node:crypto';
import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/users',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/users` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/users',
    min: 'admin',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/users`,
      body: { email: `u-${randomUUID()}@x.test`, name: 'U', role: 'viewer', password: 'a-long-test-password-1' },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/users/{user_id}',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/users/${t.users.viewer.id}` }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/users/{user_id}',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/users/${await h.user(t)}`, body: { name: 'Renamed' } }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/users/{user_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/users/${await h.user(t)}` }),
  },
];

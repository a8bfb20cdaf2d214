import { randomUUID } from 'node:crypto';
import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/credential-profiles',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/credential-profiles` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/credential-profiles',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/credential-profiles`,
      body: { name: `p-${randomUUID()}`, username: 'admin', password: 'x' },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/credential-profiles/{profile_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/credential-profiles/${await h.create(t, 'credential-profiles', { name: `p-${randomUUID()}`, username: 'admin', password: 'x' })}`,
    }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/credential-profiles/{profile_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/credential-profiles/${await h.create(t, 'credential-profiles', { name: `p-${randomUUID()}`, username: 'admin', password: 'x' })}`,
      body: { name: `r-${randomUUID()}` },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/credential-profiles/{profile_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/credential-profiles/${await h.create(t, 'credential-profiles', { name: `p-${randomUUID()}`, username: 'admin', password: 'x' })}`,
    }),
  },
];

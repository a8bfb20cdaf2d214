import { randomUUID } from 'node:crypto';
import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/sites',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/sites` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/sites',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/sites`, body: { name: `s-${randomUUID()}` } }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/sites/{id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/sites/${await h.create(t, 'sites', { name: `s-${randomUUID()}` })}`,
    }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/sites/{id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/sites/${await h.create(t, 'sites', { name: `s-${randomUUID()}` })}`,
      body: { name: `r-${randomUUID()}` },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/sites/{id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/sites/${await h.create(t, 'sites', { name: `s-${randomUUID()}` })}`,
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/device-groups',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/device-groups` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/device-groups',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/device-groups`, body: { name: `g-${randomUUID()}` } }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/device-groups/{id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/device-groups/${await h.create(t, 'device-groups', { name: `g-${randomUUID()}` })}`,
    }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/device-groups/{id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/device-groups/${await h.create(t, 'device-groups', { name: `g-${randomUUID()}` })}`,
      body: { name: `r-${randomUUID()}` },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/device-groups/{id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/device-groups/${await h.create(t, 'device-groups', { name: `g-${randomUUID()}` })}`,
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/device-tags',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/device-tags` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/device-tags',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/device-tags`,
      body: { name: `t-${randomUUID()}`, color: '#112233' },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/device-tags/{id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/device-tags/${await h.create(t, 'device-tags', { name: `t-${randomUUID()}`, color: '#112233' })}`,
    }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/device-tags/{id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/device-tags/${await h.create(t, 'device-tags', { name: `t-${randomUUID()}`, color: '#112233' })}`,
      body: { name: `r-${randomUUID()}` },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/device-tags/{id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/device-tags/${await h.create(t, 'device-tags', { name: `t-${randomUUID()}`, color: '#112233' })}`,
    }),
  },
];

import { randomUUID } from 'node:crypto';
import type { AccessHelpers, AccessRow } from '../helpers/access.js';
import type { SeededTenant } from '../helpers/seed.js';

const window = () => ({
  name: `w-${randomUUID()}`,
  starts_at: '2031-01-01T02:00:00+01:00',
  ends_at: '2031-01-01T04:00:00+01:00',
  timezone: 'Europe/Berlin',
  recurrence: { freq: 'weekly', by_day: ['sa'] },
  scope: { kind: 'organisation' },
});
const one = async (t: SeededTenant, h: AccessHelpers) =>
  `/api/tenants/${t.id}/maintenance-windows/${await h.create(t, 'maintenance-windows', window())}`;

/** Who may call each route of maintenance windows (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/maintenance-windows',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/maintenance-windows` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/maintenance-windows',
    min: 'operator',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/maintenance-windows`, body: window() }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/maintenance-windows/{window_id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: await one(t, h) }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/maintenance-windows/{window_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: await one(t, h), body: { name: `r-${randomUUID()}` } }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/maintenance-windows/{window_id}',
    min: 'operator',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({ url: await one(t, h) }),
  },
];

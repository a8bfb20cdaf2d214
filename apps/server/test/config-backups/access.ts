import type { AccessRow } from '../helpers/access.js';

const covered = 'test/config-backups/backups.test.ts (roles against a simulated router over SSH)';

/** Who may call each route of config backups (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/config/backups',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}/config/backups` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/config/jobs',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}/config/jobs` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/config/schedules',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}/config/schedules` }),
  },
  {
    method: 'PUT',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/config/schedules',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/devices/${await h.device(t)}/config/schedules`,
      body: { cron: '30 3 * * *', timezone: 'Europe/Berlin', enabled: true },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/config/schedules',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/config/schedules` }),
  },
  {
    method: 'PUT',
    path: '/api/tenants/{tenant_id}/config/schedules',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({
      url: `/api/tenants/${t.id}/config/schedules`,
      body: { cron: '0 2 * * *', timezone: 'UTC', enabled: true },
    }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/config/backups',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/config/backups` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/config/search',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/config/search?q=8.8.8.8` }),
  },
  { method: 'POST', path: '/api/tenants/{tenant_id}/devices/{device_id}/config/backups', coveredBy: covered },
  { method: 'POST', path: '/api/tenants/{tenant_id}/devices/{device_id}/config-snapshot/trigger', coveredBy: covered },
  { method: 'POST', path: '/api/tenants/{tenant_id}/devices/{device_id}/config/checkpoint', coveredBy: covered },
  { method: 'GET', path: '/api/tenants/{tenant_id}/config/jobs/{job_id}', coveredBy: covered },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/config/backups/{id}/export',
    coveredBy: covered,
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/devices/{device_id}/config/backups/{id}/binary',
    coveredBy: covered,
  },
  { method: 'GET', path: '/api/tenants/{tenant_id}/devices/{device_id}/config/diff', coveredBy: covered },
];

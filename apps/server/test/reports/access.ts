import type { AccessRow } from '../helpers/access.js';
import { insertDoneReport } from './helpers.js';

// Who may call each route of reports (test/access-matrix.test.ts runs them for every caller). Reports the GET rows
// need are written done, straight to the table: rendering one per call would cost the matrix minutes.

const week = { from: '2025-01-01T00:00:00Z', to: '2025-01-08T00:00:00Z' };
const schedule = {
  kind: 'fleet',
  cron: '0 6 * * 1',
  timezone: 'Europe/Berlin',
  recipients: ['noc@customer.test'],
  params: { period: 'week' },
};

export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/reports',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/reports` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/reports',
    min: 'operator',
    ok: 202,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/reports`, body: { kind: 'fleet', format: 'csv', ...week } }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/reports/{report_id}',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/reports/${(await insertDoneReport(h.ctx, t.id)).id}` }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/reports/{report_id}/file',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/reports/${(await insertDoneReport(h.ctx, t.id)).id}/file` }),
  },
  // Operators may delete only their own reports, so the outcome depends on who asked as well as on the caller.
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/reports/{report_id}',
    coveredBy: 'test/reports/reports.test.ts (deleting; other organisations)',
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/report-schedules',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/report-schedules` }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/report-schedules',
    min: 'admin',
    ok: 201,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/report-schedules`, body: schedule }),
  },
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/report-schedules/{schedule_id}',
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/report-schedules/${await h.create(t, 'report-schedules', schedule)}`,
    }),
  },
  {
    method: 'PATCH',
    path: '/api/tenants/{tenant_id}/report-schedules/{schedule_id}',
    min: 'admin',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/report-schedules/${await h.create(t, 'report-schedules', schedule)}`,
      body: { name: 'Renamed', enabled: false },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tenants/{tenant_id}/report-schedules/{schedule_id}',
    min: 'admin',
    ok: 204,
    tenantScoped: true,
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/report-schedules/${await h.create(t, 'report-schedules', schedule)}`,
    }),
  },
];

import type { AccessRow } from '../helpers/access.js';

const base = '/api/tenants/{tenant_id}';

/** Who may call each route of topology (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: `${base}/topology`,
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/topology` }),
  },
  {
    method: 'GET',
    path: `${base}/devices/{device_id}/upstream`,
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}/upstream` }),
  },
  {
    method: 'GET',
    path: `${base}/topology/cores`,
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/topology/cores` }),
  },
  {
    method: 'PUT',
    path: `${base}/topology/cores`,
    min: 'operator',
    ok: 200,
    tenantScoped: true,
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/topology/cores`, body: { device_ids: [await h.device(t)] } }),
  },
];

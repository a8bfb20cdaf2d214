import type { AccessRow } from '../helpers/access.js';

const covered = 'test/simple-config/api.test.ts (every role and another tenant, against a simulated router)';
const dev = '/api/tenants/{tenant_id}/devices/{device_id}';

/** Who may call each route of Simple Config (test/access-matrix.test.ts runs the tested ones for every caller). */
export const accessRows: AccessRow[] = [
  { method: 'GET', path: `${dev}/simple-config/{tab}`, coveredBy: covered },
  { method: 'POST', path: `${dev}/simple-config/{tab}`, coveredBy: covered },
  {
    method: 'GET',
    path: `${dev}/view-preference`,
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    refuse: ['api_key'],
    make: async (t, h) => ({ url: `/api/tenants/${t.id}/devices/${await h.device(t)}/view-preference` }),
  },
  {
    method: 'PUT',
    path: `${dev}/view-preference`,
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    refuse: ['api_key'],
    make: async (t, h) => ({
      url: `/api/tenants/${t.id}/devices/${await h.device(t)}/view-preference`,
      body: { mode: 'simple' },
    }),
  },
  {
    method: 'POST',
    path: '/api/tenants/{tenant_id}/simple-config/{tab}/rollouts',
    coveredBy: 'test/simple-config/rollout.test.ts (operator, viewer and another tenant, against simulated routers)',
  },
];

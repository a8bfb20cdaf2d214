import type { AccessRow } from '../helpers/access.js';

const covered = 'test/rollouts/rollouts.test.ts (viewer, operator and another tenant, against simulated routers)';
const one = '/api/tenants/{tenant_id}/rollouts/{rollout_id}';

/** Who may call each route of rollouts (test/access-matrix.test.ts runs the tested ones for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/rollouts',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/rollouts` }),
  },
  { method: 'GET', path: one, coveredBy: covered },
  { method: 'POST', path: `${one}/pause`, coveredBy: covered },
  { method: 'POST', path: `${one}/resume`, coveredBy: covered },
  { method: 'POST', path: `${one}/cancel`, coveredBy: covered },
  { method: 'POST', path: `${one}/retry-failed`, coveredBy: covered },
  { method: 'POST', path: `${one}/backup`, coveredBy: covered },
  { method: 'POST', path: `${one}/keep`, coveredBy: covered },
];

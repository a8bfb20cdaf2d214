import type { AccessRow } from '../helpers/access.js';

const covered = 'test/changes/roles.test.ts (every role and another tenant, against a simulated router)';
const dev = '/api/tenants/{tenant_id}/devices/{device_id}';

/** Who may call each route of safe changes (test/access-matrix.test.ts runs the tested ones for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/operations',
    min: 'viewer',
    ok: 200,
    tenantScoped: true,
    make: async (t) => ({ url: `/api/tenants/${t.id}/operations` }),
  },
  { method: 'GET', path: '/api/tenants/{tenant_id}/operations/{operation_id}', coveredBy: covered },
  { method: 'GET', path: `${dev}/operations/{operation_id}`, coveredBy: covered },
  { method: 'POST', path: `${dev}/operations/{operation_id}/confirm`, coveredBy: covered },
  { method: 'POST', path: `${dev}/operations/{operation_id}/revert`, coveredBy: covered },
  { method: 'GET', path: `${dev}/config/browse`, coveredBy: covered },
  { method: 'POST', path: `${dev}/config/changes`, coveredBy: covered },
  { method: 'POST', path: `${dev}/config/preview-restore`, coveredBy: covered },
  { method: 'POST', path: `${dev}/config/restore`, coveredBy: covered },
  { method: 'POST', path: `${dev}/config/emergency-rollback`, coveredBy: covered },
];

import type { AccessRow } from '../helpers/access.js';

/** The stream never ends, so its access rules are tested over a real socket. */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/tenants/{tenant_id}/stream',
    coveredBy: 'sse/sse.test.ts (viewer, cross-tenant, anonymous)',
  },
];

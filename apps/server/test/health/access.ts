import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/health',
    min: 'public',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/health' }),
  },
  {
    method: 'GET',
    path: '/api/health',
    min: 'public',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/health' }),
  },
  {
    method: 'GET',
    path: '/health/ready',
    min: 'public',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/health/ready' }),
  },
];

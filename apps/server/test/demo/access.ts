import type { AccessRow } from '../helpers/access.js';

/** The demo fleet starts real simulated routers; demo.test.ts covers who may manage it. */
export const accessRows: AccessRow[] = (['GET', 'POST', 'DELETE'] as const).map((method) => ({
  method,
  path: '/api/demo',
  coveredBy: 'demo/demo.test.ts (super_admin only)',
}));

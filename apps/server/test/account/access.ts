import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/auth/me/export',
    min: 'signed_in',
    ok: 200,
    tenantScoped: false,
    // A person's data: an API key has none.
    refuse: ['api_key'],
    make: async () => ({ url: '/api/auth/me/export' }),
  },
  // Succeeding deletes the caller: every caller (anonymous 401, API key 403, each role 200, and the refusals) is
  // exercised on accounts of its own there.
  { method: 'DELETE', path: '/api/auth/me', coveredBy: 'account/account.test.ts' },
];

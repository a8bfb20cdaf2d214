import type { AccessRow } from '../helpers/access.js';

/** Who may call each route of this feature (test/access-matrix.test.ts runs them for every caller). */
export const accessRows: AccessRow[] = [
  {
    method: 'GET',
    path: '/api/auth/me',
    min: 'signed_in',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/auth/me' }),
  },
  {
    method: 'GET',
    path: '/api/auth/options',
    min: 'public',
    ok: 200,
    tenantScoped: false,
    make: async () => ({ url: '/api/auth/options' }),
  },
  ...(
    [
      ['POST', '/api/auth/login', 'auth/auth.test.ts, auth/enrolment.test.ts'],
      ['POST', '/api/auth/refresh', 'auth/auth.test.ts'],
      ['POST', '/api/auth/logout', 'auth/auth.test.ts'],
      ['POST', '/api/auth/srp/init', 'srp/srp.test.ts'],
      ['POST', '/api/auth/srp/verify', 'srp/srp.test.ts'],
      ['POST', '/api/auth/register-srp', 'srp/srp.test.ts, auth/enrolment.test.ts'],
      ['POST', '/api/auth/forgot-password', 'password-reset/password-reset.test.ts'],
      ['POST', '/api/auth/reset-password', 'password-reset/password-reset.test.ts'],
    ] as const
  ).map(([method, path, coveredBy]) => ({ method, path, coveredBy })),
];

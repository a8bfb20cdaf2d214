import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { Body } from './types';

// Sessions. Signing in or out changes who every cached answer was for, so the flows that call these reset the
// whole cache (queryClient.invalidateQueries() / clear()) rather than naming keys.

export const authKeys = { me: ['me'] as const, options: ['auth-options'] as const };

export const meQuery = queryOptions({
  queryKey: authKeys.me,
  queryFn: () => unwrap(api.GET('/api/auth/me')),
  staleTime: 60_000,
  retry: false,
});

export const authOptionsQuery = queryOptions({
  queryKey: authKeys.options,
  queryFn: () => unwrap(api.GET('/api/auth/options')),
  staleTime: 300_000,
});

export const auth = {
  /** A temporary password (first admin, new or reset account): answers an enrol-only session. */
  login: (body: Body<'/api/auth/login', 'post'>) => unwrap(api.POST('/api/auth/login', { body })),
  logout: () => unwrap(api.POST('/api/auth/logout')),
  srpInit: (email: string) => unwrap(api.POST('/api/auth/srp/init', { body: { email } })),
  srpVerify: (body: Body<'/api/auth/srp/verify', 'post'>) => unwrap(api.POST('/api/auth/srp/verify', { body })),
  registerSrp: (body: Body<'/api/auth/register-srp', 'post'>) => unwrap(api.POST('/api/auth/register-srp', { body })),
  forgotPassword: (email: string) => unwrap(api.POST('/api/auth/forgot-password', { body: { email } })),
  resetPassword: (token: string) => unwrap(api.POST('/api/auth/reset-password', { body: { token } })),
};

import type { FastifyReply } from 'fastify';
import type { IssuedTokens } from './auth.service.js';

export const ACCESS_COOKIE = 'tod_access';
export const REFRESH_COOKIE = 'tod_refresh';

/** httpOnly, SameSite=Strict (no cross-site request carries them), Secure in production; refresh only to /api/auth. */
export function setAuthCookies(reply: FastifyReply, t: IssuedTokens, secure: boolean) {
  const base = { httpOnly: true, sameSite: 'strict' as const, secure };
  reply.setCookie(ACCESS_COOKIE, t.accessToken, { ...base, path: '/', maxAge: t.expiresIn });
  reply.setCookie(REFRESH_COOKIE, t.refreshToken, {
    ...base,
    path: '/api/auth',
    maxAge: Math.floor((t.refreshExpiresAt.getTime() - Date.now()) / 1000),
  });
}

export function clearAuthCookies(reply: FastifyReply, secure: boolean) {
  const base = { httpOnly: true, sameSite: 'strict' as const, secure };
  reply.clearCookie(ACCESS_COOKIE, { ...base, path: '/' });
  reply.clearCookie(REFRESH_COOKIE, { ...base, path: '/api/auth' });
}

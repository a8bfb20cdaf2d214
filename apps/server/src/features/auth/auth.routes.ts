import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allPermissions, policiesFor } from '../../platform/auth/permissions.js';
import { access } from '../../platform/http/access.js';
import { AppError } from '../../platform/http/errors.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { clearAuthCookies, REFRESH_COOKIE, setAuthCookies } from './auth.cookies.js';
import { clientMeta, tokenBody } from './auth.http.js';
import { loginBody, meOutWith, refreshBody, tokenOut } from './auth.schema.js';
import type { AuthService } from './auth.service.js';

export function authRoutes(
  app: FastifyInstance,
  auth: AuthService,
  opts: { secureCookies: boolean; ratePerMinute: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];
  // Built when routes register, after every feature added its permissions: /me documents each one.
  const permissions = allPermissions();
  const meOut = meOutWith(permissions);
  const rateLimit = { max: opts.ratePerMinute, timeWindow: 60_000 };
  // A refresh token is 256 random bits (nothing to guess), and every page load of a signed-out browser spends one
  // refresh: its limit is higher so an office behind one address is not locked out.
  const refreshLimit = { max: Math.max(60, opts.ratePerMinute * 12), timeWindow: 60_000 };

  r.post('/api/auth/login', {
    config: { access: access.public, rateLimit },
    schema: { tags, security: [], body: loginBody, response: { 200: tokenOut, ...errorResponses } },
    handler: async (req, reply) => {
      const t = await auth.login(req.body.email, req.body.password, clientMeta(req));
      setAuthCookies(reply, t, opts.secureCookies);
      return tokenBody(t);
    },
  });

  r.post('/api/auth/refresh', {
    config: { access: access.public, rateLimit: refreshLimit },
    schema: { tags, security: [], body: refreshBody, response: { 200: tokenOut, ...errorResponses } },
    handler: async (req, reply) => {
      const token = req.body?.refresh_token ?? req.cookies[REFRESH_COOKIE];
      if (!token) throw new AppError('invalid_refresh_token', 'no refresh token (cookie or body)');
      try {
        const t = await auth.refresh(token, clientMeta(req));
        setAuthCookies(reply, t, opts.secureCookies);
        return tokenBody(t);
      } catch (err) {
        clearAuthCookies(reply, opts.secureCookies);
        throw err;
      }
    },
  });

  r.post('/api/auth/logout', {
    config: { access: access.public },
    schema: { tags, response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      await auth.logout(req.principal, req.cookies[REFRESH_COOKIE], clientMeta(req));
      clearAuthCookies(reply, opts.secureCookies);
      return reply.status(204).send(null);
    },
  });

  r.get('/api/auth/me', {
    config: { access: access.enrolling },
    schema: { tags, response: { 200: meOut, ...errorResponses } },
    handler: async (req) => {
      const p = req.principal!;
      const common = { role: p.role, tenant_id: p.tenantId, permissions: policiesFor(p, permissions) };
      if (p.kind === 'system') throw new Error('system principal on a request');
      return p.kind === 'user'
        ? {
            kind: 'user' as const,
            id: p.userId,
            email: p.email,
            name: p.name,
            must_upgrade_auth: p.mustUpgradeAuth,
            session_scope: p.scope,
            ...common,
          }
        : {
            kind: 'api_key' as const,
            id: p.keyId,
            email: null,
            name: p.name,
            must_upgrade_auth: false,
            session_scope: 'full' as const,
            ...common,
          };
    },
  });
}

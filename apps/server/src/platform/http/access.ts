import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertCan, assertTenantAccess, type Permission } from '../auth/permissions.js';
import type { Actor, Principal } from '../auth/principal.js';
import { AppError } from './errors.js';

/** Who may call a route. Every /api route must declare one; the app refuses to start otherwise. */
export type Access =
  | { kind: 'public' }
  | { kind: 'signed_in' }
  | { kind: 'enrolling' }
  | { kind: 'permission'; permission: Permission };

export const access = {
  public: { kind: 'public' } as Access,
  signedIn: { kind: 'signed_in' } as Access,
  /** Signed in, including an enrol-only session (password or reset-link sign-in): /me and enrolment only. */
  enrolling: { kind: 'enrolling' } as Access,
  can: (permission: Permission): Access => ({ kind: 'permission', permission }),
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
    actor?: Actor;
  }
}

export type Authenticator = (req: FastifyRequest) => Promise<Principal | undefined>;
export type TenantExists = (tenantId: string) => Promise<boolean>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The one place RBAC is enforced: authenticate, check the route's permission, check the tenant in the path. */
export function registerAccessControl(app: FastifyInstance, authenticate: Authenticator, tenantExists: TenantExists) {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api') && !route.config?.access)
      throw new Error(`route ${route.method} ${route.url} declares no access rule`);
  });

  app.addHook('onRequest', async (req) => {
    const rule = req.routeOptions.config?.access;
    if (!rule || rule.kind === 'public') {
      // Public routes still learn who is calling when credentials are present (logout, for one).
      if (rule) req.principal = await authenticate(req).catch(() => undefined);
      return;
    }
    const principal = await authenticate(req);
    if (!principal) throw new AppError('not_authenticated', 'sign in, or send an access token or API key');
    req.principal = principal;
    if (principal.kind === 'user' && principal.scope === 'enrol' && rule.kind !== 'enrolling')
      throw new AppError('enrolment_required', 'set your password and Secret Key first; this session may only enrol');
    const tenantParam = (req.params as Record<string, string | undefined>).tenant_id;
    const actor: Actor = {
      principal,
      tenantId: tenantParam ?? principal.tenantId,
      ip: req.ip ?? null,
      requestId: String(req.id),
    };
    if (rule.kind === 'permission') assertCan(actor, rule.permission);
    if (tenantParam !== undefined && UUID.test(tenantParam)) {
      assertTenantAccess(principal, tenantParam);
      if (principal.role === 'super_admin' && !(await tenantExists(tenantParam)))
        throw new AppError('not_found', 'tenant not found');
    }
    req.actor = actor;
  });
}

/** The actor of an authenticated request (set by the access hook). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('not_authenticated', 'not signed in');
  return req.actor;
}

import type { Role } from './roles.js';

export type SessionScope = 'full' | 'enrol';

/** Who is calling: a signed-in user or an API key. */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      tenantId: string | null;
      role: Role;
      email: string;
      name: string;
      sessionId: string;
      mustUpgradeAuth: boolean;
      /** 'enrol': a password or reset-link session that may only enrol (issue 6); 'full' otherwise. */
      scope: SessionScope;
    }
  | { kind: 'api_key'; keyId: string; tenantId: string; role: 'operator'; name: string }
  /** TOD acting on its own (CLI flags, bootstrap): never comes from a request. */
  | { kind: 'system'; name: string; tenantId: null; role: 'super_admin' };

/** The caller plus where the call came from: what services and the audit trail need. */
export type Actor = {
  principal: Principal;
  /** The tenant the request acts in (checked against the principal before it gets here), or null for global. */
  tenantId: string | null;
  ip: string | null;
  requestId: string | null;
};

export const actorId = (p: Principal) => (p.kind === 'user' ? p.userId : p.kind === 'api_key' ? p.keyId : null);
export const actorLabel = (p: Principal) =>
  p.kind === 'user' ? p.email : p.kind === 'api_key' ? `api-key:${p.name}` : `system:${p.name}`;

/** An actor for work TOD starts itself (e.g. `tod start --demo`). */
export const systemActor = (name: string, tenantId: string | null = null): Actor => ({
  principal: { kind: 'system', name, tenantId: null, role: 'super_admin' },
  tenantId,
  ip: null,
  requestId: null,
});

import { AppError, forbidden } from '../http/errors.js';
import type { Actor, Principal } from './principal.js';
import { type Role, roleAtLeast } from './roles.js';

// The one table of who may do what. Routes declare a permission; services assert it; responses derive
// `policies` from it, so the web app never re-implements RBAC.
export const permissions = {
  'tenants.list': 'viewer',
  'tenants.read': 'viewer',
  'tenants.create': 'super_admin',
  'tenants.update': 'admin',
  'tenants.delete': 'super_admin',
  'users.list': 'admin',
  'users.read': 'admin',
  'users.create': 'admin',
  'users.update': 'admin',
  'users.delete': 'admin',
  'api_keys.list': 'admin',
  'api_keys.create': 'admin',
  'api_keys.revoke': 'admin',
  'audit.list': 'admin',
  'audit.verify': 'admin',
  'audit.global': 'super_admin',
  'devices.read': 'viewer',
  'devices.write': 'operator',
  'devices.delete': 'admin',
  'devices.scan': 'operator',
  'inventory.read': 'viewer',
  'inventory.write': 'operator',
  'inventory.delete': 'admin',
  'credential_profiles.read': 'operator',
  'credential_profiles.write': 'operator',
  'credential_profiles.delete': 'admin',
  'metrics.read': 'viewer',
  'events.read': 'viewer',
  'demo.manage': 'super_admin',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof permissions;

/** API keys act at operator level at most, whatever the table says. */
function effectiveRole(p: Principal): Role {
  return p.kind === 'api_key' ? 'operator' : p.role;
}

export function can(p: Principal, permission: Permission): boolean {
  // An enrol-only session (issue 6) may do nothing but enrol, whatever the account's role.
  if (p.kind === 'user' && p.scope === 'enrol') return false;
  return roleAtLeast(effectiveRole(p), permissions[permission]);
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor.principal, permission)) throw forbidden(`${permission} needs role ${permissions[permission]}`);
}

/** `{ "users.update": true, ... }` for the given permissions: what the caller may do with a resource. */
export function policiesFor<P extends Permission>(p: Principal, list: readonly P[]): Record<P, boolean> {
  return Object.fromEntries(list.map((x) => [x, can(p, x)])) as Record<P, boolean>;
}

/** The tenant a request may act in: its own, or any for super_admin. Anything else looks like a missing tenant. */
export function assertTenantAccess(p: Principal, tenantId: string): void {
  if (p.role === 'super_admin') return;
  if (p.tenantId !== tenantId) throw new AppError('not_found', 'tenant not found');
}

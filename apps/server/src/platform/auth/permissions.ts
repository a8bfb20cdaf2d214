import { AppError, forbidden } from '../http/errors.js';
import type { Actor, Principal } from './principal.js';
import { type Role, roleAtLeast } from './roles.js';

// Who may do what. Each feature declares its own permissions (in its <f>.feature.ts) and adds their names to
// `PermissionTable` by declaration merging, so `assertCan(actor, 'devices.read')` is checked by the compiler;
// the runtime fills the table when it assembles the features (platform/feature/assemble.ts) and refuses a name
// declared twice. Routes declare a permission; services assert it; responses derive `policies` from it, so the
// web app never re-implements RBAC.

/** Permission name → minimum role. Extended by each feature. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in every feature
export interface PermissionTable {}

export type Permission = keyof PermissionTable & string;
export type PermissionDefs = Record<string, Role>;

const table = new Map<string, { role: Role; feature: string }>();

/** Adds a feature's permissions. The same feature may register again (tests build many apps in one process). */
export function registerPermissions(feature: string, defs: PermissionDefs): void {
  for (const [name, role] of Object.entries(defs)) {
    const had = table.get(name);
    if (had && had.feature !== feature)
      throw new Error(`permission ${name} is declared by both ${had.feature} and ${feature}`);
    table.set(name, { role, feature });
  }
}

/** Every registered permission with its minimum role, in registration order. */
export function permissionTable(): ReadonlyMap<string, { role: Role; feature: string }> {
  return table;
}

export const allPermissions = (): Permission[] => [...table.keys()] as Permission[];

function minimumRole(permission: string): Role {
  const entry = table.get(permission);
  // A permission nobody registered is a programming error; refusing is the safe answer.
  if (!entry) throw new Error(`unknown permission ${permission} (is its feature in features/index.ts?)`);
  return entry.role;
}

/** API keys act at operator level at most, whatever the table says. */
function effectiveRole(p: Principal): Role {
  return p.kind === 'api_key' ? 'operator' : p.role;
}

export function can(p: Principal, permission: Permission): boolean {
  // An enrol-only session (issue 6) may do nothing but enrol, whatever the account's role.
  if (p.kind === 'user' && p.scope === 'enrol') return false;
  return roleAtLeast(effectiveRole(p), minimumRole(permission));
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor.principal, permission)) throw forbidden(`${permission} needs role ${minimumRole(permission)}`);
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

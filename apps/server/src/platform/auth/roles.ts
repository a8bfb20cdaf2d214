export const roles = ['viewer', 'operator', 'admin', 'super_admin'] as const;
export type Role = (typeof roles)[number];
export const tenantRoles = ['viewer', 'operator', 'admin'] as const;
export type TenantRole = (typeof tenantRoles)[number];

const rank: Record<Role, number> = { viewer: 1, operator: 2, admin: 3, super_admin: 4 };

export const roleAtLeast = (role: Role, min: Role) => rank[role] >= rank[min];

import {
  Building2,
  FolderTree,
  KeyRound,
  KeySquare,
  LayoutDashboard,
  type LucideIcon,
  MapPin,
  Router as RouterIcon,
  ScrollText,
  Settings,
  Tag,
  Users,
} from 'lucide-react';

/** Every page of the shell: the sidebar, the command palette and the `g <key>` shortcuts read this one list. */
export type NavItem = {
  to:
    | '/'
    | '/devices'
    | '/sites'
    | '/device-groups'
    | '/device-tags'
    | '/credential-profiles'
    | '/users'
    | '/api-keys'
    | '/audit'
    | '/organisations'
    | '/settings';
  label: string;
  icon: LucideIcon;
  group: 'Fleet' | 'Inventory' | 'Organisation' | 'Administration' | 'Account';
  /** Shown only when /api/auth/me grants this permission. */
  permission?: string;
  /** `g` then this key. */
  key?: string;
  /** Needs a current organisation (tenant-scoped API). */
  tenantScoped?: boolean;
};

export const navItems: NavItem[] = [
  { to: '/', label: 'Dashboard', icon: LayoutDashboard, group: 'Fleet', key: 'h' },
  { to: '/devices', label: 'Devices', icon: RouterIcon, group: 'Fleet', key: 'd' },
  { to: '/sites', label: 'Sites', icon: MapPin, group: 'Inventory', permission: 'inventory.read', tenantScoped: true },
  {
    to: '/device-groups',
    label: 'Device groups',
    icon: FolderTree,
    group: 'Inventory',
    permission: 'inventory.read',
    tenantScoped: true,
  },
  {
    to: '/device-tags',
    label: 'Device tags',
    icon: Tag,
    group: 'Inventory',
    permission: 'inventory.read',
    key: 't',
    tenantScoped: true,
  },
  {
    to: '/credential-profiles',
    label: 'Credential profiles',
    icon: KeySquare,
    group: 'Inventory',
    permission: 'credential_profiles.read',
    tenantScoped: true,
  },
  {
    to: '/users',
    label: 'Users',
    icon: Users,
    group: 'Organisation',
    permission: 'users.list',
    key: 'u',
    tenantScoped: true,
  },
  {
    to: '/api-keys',
    label: 'API keys',
    icon: KeyRound,
    group: 'Organisation',
    permission: 'api_keys.list',
    key: 'k',
    tenantScoped: true,
  },
  {
    to: '/audit',
    label: 'Audit log',
    icon: ScrollText,
    group: 'Organisation',
    permission: 'audit.list',
    key: 'a',
    tenantScoped: true,
  },
  {
    to: '/organisations',
    label: 'Organisations',
    icon: Building2,
    group: 'Administration',
    permission: 'tenants.create',
    key: 'o',
  },
  { to: '/settings', label: 'Settings', icon: Settings, group: 'Account', key: 's' },
];

export function visibleNav(permissions: Record<string, boolean>): NavItem[] {
  return navItems.filter((i) => !i.permission || permissions[i.permission]);
}

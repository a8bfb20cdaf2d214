import { FolderTree, KeyRound, type LucideIcon, MapPin, Tag } from 'lucide-react';

/** One editable field of an inventory entry besides its name. */
export type EntryField = {
  key: string;
  label: string;
  kind: 'text' | 'colour' | 'number' | 'password';
  hint?: string;
  /** Value for a new entry (and what an empty input sends, for optional numbers: null). */
  initial: string;
  /** Shown as a column in the list. */
  column?: boolean;
};

/**
 * Sites, device groups, device tags and credential profiles: named, organisation-owned entries the devices point
 * at. One description each drives the list, the dialog and the API paths; the server decides who may do what
 * (`permission` gates the page, each entry's `policies` its edit and delete buttons).
 */
export type InventoryKind = {
  id: 'sites' | 'device-groups' | 'device-tags' | 'credential-profiles';
  title: string;
  singular: string;
  description: string;
  empty: string;
  icon: LucideIcon;
  /** Collection path; entries are `${path}/{id}`. */
  path: string;
  read: string;
  write: string;
  remove: string;
  fields: EntryField[];
};

export const inventoryKinds: Record<InventoryKind['id'], InventoryKind> = {
  sites: {
    id: 'sites',
    title: 'Sites',
    singular: 'site',
    description: 'Where routers are: a customer premises, a data centre, a tower.',
    empty: 'Create a site for each location, then set it on devices from the device table.',
    icon: MapPin,
    path: '/api/tenants/{tenant_id}/sites',
    read: 'inventory.read',
    write: 'inventory.write',
    remove: 'inventory.delete',
    fields: [
      { key: 'address', label: 'Address', kind: 'text', initial: '', hint: 'Optional', column: true },
      { key: 'latitude', label: 'Latitude', kind: 'number', initial: '', hint: 'Optional, −90 to 90' },
      { key: 'longitude', label: 'Longitude', kind: 'number', initial: '', hint: 'Optional, −180 to 180' },
    ],
  },
  'device-groups': {
    id: 'device-groups',
    title: 'Device groups',
    singular: 'device group',
    description: 'Sets of devices managed together, such as core routers or a customer’s CPEs.',
    empty: 'Create a group, then add devices to it from the device table.',
    icon: FolderTree,
    path: '/api/tenants/{tenant_id}/device-groups',
    read: 'inventory.read',
    write: 'inventory.write',
    remove: 'inventory.delete',
    fields: [{ key: 'description', label: 'Description', kind: 'text', initial: '', hint: 'Optional', column: true }],
  },
  'device-tags': {
    id: 'device-tags',
    title: 'Device tags',
    singular: 'device tag',
    description: 'Coloured labels for filtering the device table.',
    empty: 'Create a tag, then tag devices from the device table.',
    icon: Tag,
    path: '/api/tenants/{tenant_id}/device-tags',
    read: 'inventory.read',
    write: 'inventory.write',
    remove: 'inventory.delete',
    fields: [{ key: 'color', label: 'Colour', kind: 'colour', initial: '#64748b', column: true }],
  },
  'credential-profiles': {
    id: 'credential-profiles',
    title: 'Credential profiles',
    singular: 'credential profile',
    description: 'RouterOS logins shared by many devices; change the password here and every device uses it.',
    empty:
      'Create a profile for a login your routers share, then pick it when adding a device or name it in a CSV import.',
    icon: KeyRound,
    path: '/api/tenants/{tenant_id}/credential-profiles',
    read: 'credential_profiles.read',
    write: 'credential_profiles.write',
    remove: 'credential_profiles.delete',
    fields: [
      { key: 'username', label: 'Username', kind: 'text', initial: 'admin', column: true },
      {
        key: 'password',
        label: 'Password',
        kind: 'password',
        initial: '',
        hint: 'Stored encrypted and never shown again; leave empty when editing to keep it.',
      },
    ],
  },
};

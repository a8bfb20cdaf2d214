import { FolderTree, KeyRound, type LucideIcon, MapPin, Tag } from 'lucide-react';
import type { EntryChange, InventoryKindId, NewEntry } from '@/api/inventory';
import type { Permission } from '@/api/types';

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

/** The form's strings by field key (and `name`). */
export type Values = Record<string, string>;

/**
 * Sites, device groups, device tags and credential profiles: named, organisation-owned entries the devices point
 * at. One description each drives the list and the dialog, and turns the form into the kind's typed request body;
 * the server decides who may do what (`read` gates the page, each entry's `policies` its edit and delete buttons).
 */
export type InventoryKind<K extends InventoryKindId = InventoryKindId> = {
  id: K;
  title: string;
  singular: string;
  description: string;
  empty: string;
  icon: LucideIcon;
  read: Permission;
  write: Permission;
  remove: Permission;
  fields: EntryField[];
  toNew: (v: Values) => NewEntry<K>;
  toChange: (v: Values) => EntryChange<K>;
};

const text = (v: Values, k: string) => v[k] ?? '';
const name = (v: Values) => text(v, 'name').trim();
/** An optional number: empty sends null (cleared). */
const optionalNumber = (v: Values, k: string) => (text(v, k).trim() === '' ? null : Number(v[k]));

export const inventoryKinds: { [K in InventoryKindId]: InventoryKind<K> } = {
  sites: {
    id: 'sites',
    title: 'Sites',
    singular: 'site',
    description: 'Where routers are: a customer premises, a data centre, a tower.',
    empty: 'Create a site for each location, then set it on devices from the device table.',
    icon: MapPin,
    read: 'inventory.read',
    write: 'inventory.write',
    remove: 'inventory.delete',
    fields: [
      { key: 'address', label: 'Address', kind: 'text', initial: '', hint: 'Optional', column: true },
      { key: 'latitude', label: 'Latitude', kind: 'number', initial: '', hint: 'Optional, −90 to 90' },
      { key: 'longitude', label: 'Longitude', kind: 'number', initial: '', hint: 'Optional, −180 to 180' },
    ],
    toNew: (v) => ({
      name: name(v),
      address: text(v, 'address'),
      latitude: optionalNumber(v, 'latitude'),
      longitude: optionalNumber(v, 'longitude'),
    }),
    toChange: (v) => inventoryKinds.sites.toNew(v),
  },
  'device-groups': {
    id: 'device-groups',
    title: 'Device groups',
    singular: 'device group',
    description: 'Sets of devices managed together, such as core routers or a customer’s CPEs.',
    empty: 'Create a group, then add devices to it from the device table.',
    icon: FolderTree,
    read: 'inventory.read',
    write: 'inventory.write',
    remove: 'inventory.delete',
    fields: [{ key: 'description', label: 'Description', kind: 'text', initial: '', hint: 'Optional', column: true }],
    toNew: (v) => ({ name: name(v), description: text(v, 'description') }),
    toChange: (v) => ({ name: name(v), description: text(v, 'description') }),
  },
  'device-tags': {
    id: 'device-tags',
    title: 'Device tags',
    singular: 'device tag',
    description: 'Coloured labels for filtering the device table.',
    empty: 'Create a tag, then tag devices from the device table.',
    icon: Tag,
    read: 'inventory.read',
    write: 'inventory.write',
    remove: 'inventory.delete',
    fields: [{ key: 'color', label: 'Colour', kind: 'colour', initial: '#64748b', column: true }],
    toNew: (v) => ({ name: name(v), color: text(v, 'color') }),
    toChange: (v) => ({ name: name(v), color: text(v, 'color') }),
  },
  'credential-profiles': {
    id: 'credential-profiles',
    title: 'Credential profiles',
    singular: 'credential profile',
    description: 'RouterOS logins shared by many devices; change the password here and every device uses it.',
    empty:
      'Create a profile for a login your routers share, then pick it when adding a device or name it in a CSV import.',
    icon: KeyRound,
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
    toNew: (v) => ({ name: name(v), username: text(v, 'username'), password: text(v, 'password') }),
    // Write-only: an empty password on edit is left out, and the server keeps the stored one.
    toChange: (v) => ({
      name: name(v),
      username: text(v, 'username'),
      ...(text(v, 'password') ? { password: text(v, 'password') } : {}),
    }),
  },
};

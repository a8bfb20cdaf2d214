import { defineFeature } from '../feature';
import { inventoryKinds } from './kinds';

const { sites, 'device-groups': groups, 'device-tags': tags, 'credential-profiles': profiles } = inventoryKinds;

export const inventoryFeature = defineFeature({
  id: 'inventory',
  nav: [
    { to: '/sites', label: sites.title, icon: sites.icon, group: 'Inventory', permission: sites.read },
    { to: '/device-groups', label: groups.title, icon: groups.icon, group: 'Inventory', permission: groups.read },
    { to: '/device-tags', label: tags.title, icon: tags.icon, group: 'Inventory', permission: tags.read, key: 't' },
    {
      to: '/credential-profiles',
      label: profiles.title,
      icon: profiles.icon,
      group: 'Inventory',
      permission: profiles.read,
    },
  ],
});

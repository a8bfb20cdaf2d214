import { ListChecks } from 'lucide-react';
import { lazy } from 'react';
import { changesLive } from '@/api/changes';
import { defineFeature } from '../feature';

// Safe changes: the device's Config, Firewall, DHCP and Clients tabs, the organisation's Operations page, and the
// live progress of operations. Restores and the emergency rollback sit in the Backups tab (features/backups).
export const changesFeature = defineFeature({
  id: 'changes',
  nav: [
    {
      to: '/operations',
      label: 'Operations',
      icon: ListChecks,
      group: 'Fleet',
      permission: 'changes.read',
      key: 'c',
    },
  ],
  deviceTabs: [
    { id: 'config', label: 'Config', permission: 'changes.read', component: lazy(() => import('./config-tab')) },
    { id: 'firewall', label: 'Firewall', permission: 'changes.read', component: lazy(() => import('./firewall-tab')) },
    { id: 'dhcp', label: 'DHCP', permission: 'changes.read', component: lazy(() => import('./dhcp-tab')) },
    { id: 'clients', label: 'Clients', permission: 'changes.read', component: lazy(() => import('./clients-tab')) },
  ],
  live: changesLive,
});

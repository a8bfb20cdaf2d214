import { DatabaseBackup } from 'lucide-react';
import { lazy } from 'react';
import { configLive } from '@/api/config-backups';
import { defineFeature } from '../feature';

// Configuration backups: the fleet's Backups page, a Backups tab on each device, and the live progress of jobs.
export const backupsFeature = defineFeature({
  id: 'backups',
  nav: [
    { to: '/backups', label: 'Backups', icon: DatabaseBackup, group: 'Fleet', permission: 'config.read', key: 'b' },
  ],
  deviceTabs: [
    { id: 'backups', label: 'Backups', permission: 'config.read', component: lazy(() => import('./backups-tab')) },
  ],
  live: configLive,
});

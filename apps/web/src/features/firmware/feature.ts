import { HardDriveDownload } from 'lucide-react';
import { firmwareLive } from '@/api/firmware';
import { defineFeature } from '../feature';

// Firmware: what RouterOS each router runs and what its channel offers, upgrades as rollouts, and the package cache
// for routers without internet.
export const firmwareFeature = defineFeature({
  id: 'firmware',
  nav: [
    {
      to: '/firmware',
      label: 'Firmware',
      icon: HardDriveDownload,
      group: 'Fleet',
      permission: 'firmware.read',
      key: 'f',
    },
  ],
  live: firmwareLive,
});

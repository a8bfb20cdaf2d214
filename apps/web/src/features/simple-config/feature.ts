import { lazy } from 'react';
import { simpleConfigLive } from '@/api/simple-config';
import { defineFeature } from '../feature';

// Simple Config: the device's Setup tab — seven forms (Internet, LAN/DHCP, WiFi, port forwarding, firewall, DNS,
// system) applied through the safe-change engine, or to many devices as a rollout — beside the standard editor,
// each person's choice of the two kept on the server.
export const simpleConfigFeature = defineFeature({
  id: 'simple-config',
  deviceTabs: [
    { id: 'setup', label: 'Setup', permission: 'changes.read', component: lazy(() => import('./setup-tab')) },
  ],
  live: simpleConfigLive,
});

import { lazy } from 'react';
import { defineFeature } from '../feature';

// The device page itself (header, status, Edit and Delete) is features/device/device-page.tsx; its tabs come from
// every feature's `deviceTabs`, these two first.
export const deviceFeature = defineFeature({
  id: 'device',
  deviceTabs: [
    { id: 'overview', label: 'Overview', component: lazy(() => import('./overview-tab')) },
    { id: 'interfaces', label: 'Interfaces', component: lazy(() => import('./interfaces-tab')) },
  ],
});

import { RadioTower } from 'lucide-react';
import { lazy } from 'react';
import { defineFeature } from '../feature';

// Wireless: a device's radios, registrations and clients' signal history (its Wireless tab), and the
// organisation's APs with problems (the Wireless issues page).
export const wirelessFeature = defineFeature({
  id: 'wireless',
  nav: [
    {
      to: '/wireless',
      label: 'Wireless issues',
      icon: RadioTower,
      group: 'Fleet',
      permission: 'wireless.read',
      key: 'i',
    },
  ],
  deviceTabs: [
    { id: 'wireless', label: 'Wireless', permission: 'wireless.read', component: lazy(() => import('./wireless-tab')) },
  ],
});

import { lazy } from 'react';
import { defineFeature } from '../feature';

// Remote access: the device page's Remote tab (browser terminal, WinBox tunnel, sessions).
export const remoteAccessFeature = defineFeature({
  id: 'remoteAccess',
  deviceTabs: [
    {
      id: 'remote',
      label: 'Remote',
      permission: 'remote.sessions.read',
      component: lazy(() => import('./remote-tab')),
    },
  ],
});

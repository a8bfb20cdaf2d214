import { Logs } from 'lucide-react';
import { lazy } from 'react';
import { defineFeature } from '../feature';

// Device logs: the organisation's Logs page and a Logs tab on each device.
export const logsFeature = defineFeature({
  id: 'logs',
  nav: [{ to: '/logs', label: 'Logs', icon: Logs, group: 'Fleet', permission: 'logs.read', key: 'l' }],
  deviceTabs: [{ id: 'logs', label: 'Logs', permission: 'logs.read', component: lazy(() => import('./logs-tab')) }],
});

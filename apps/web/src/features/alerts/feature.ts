import { BellPlus, Siren } from 'lucide-react';
import { lazy } from 'react';
import { alertsLive } from '@/api/alerts';
import { defineFeature } from '../feature';
import { AlertsBadge } from './nav-badge';

// Alerts: the Alerts page (active first, then history) and its Rules tab, the live count in the sidebar, and an
// Alerts tab on each device (its alerts, and silencing it).
export const alertsFeature = defineFeature({
  id: 'alerts',
  nav: [
    {
      to: '/alerts',
      label: 'Alerts',
      icon: Siren,
      group: 'Fleet',
      permission: 'alerts.read',
      key: 'e',
      badge: AlertsBadge,
    },
  ],
  actions: [
    {
      id: 'new-alert-rule',
      label: 'Create alert rule',
      icon: BellPlus,
      to: '/alerts/rules',
      permission: 'alerts.configure',
      needsOrganisation: true,
    },
  ],
  deviceTabs: [
    { id: 'alerts', label: 'Alerts', permission: 'alerts.read', component: lazy(() => import('./alerts-tab')) },
  ],
  live: alertsLive,
});

import { CalendarClock, CalendarPlus } from 'lucide-react';
import { maintenanceLive } from '@/api/maintenance-windows';
import { defineFeature } from '../feature';

// Maintenance windows: when alerts of the devices they cover are recorded but not sent.
export const maintenanceFeature = defineFeature({
  id: 'maintenance',
  nav: [
    {
      to: '/maintenance',
      label: 'Maintenance windows',
      icon: CalendarClock,
      group: 'Fleet',
      permission: 'maintenance.read',
      key: 'm',
    },
  ],
  actions: [
    {
      id: 'new-maintenance-window',
      label: 'Plan a maintenance window',
      icon: CalendarPlus,
      to: '/maintenance',
      permission: 'maintenance.write',
      needsOrganisation: true,
    },
  ],
  live: maintenanceLive,
});

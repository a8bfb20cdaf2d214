import { FileChartColumn, FilePlus } from 'lucide-react';
import { reportsLive } from '@/api/reports';
import { defineFeature } from '../feature';

// Reports: fleet, device, compliance and SLA reports as PDF or CSV, asked for here or rendered on a schedule and
// emailed; the list follows each report live until it is done.
export const reportsFeature = defineFeature({
  id: 'reports',
  nav: [
    {
      to: '/reports',
      label: 'Reports',
      icon: FileChartColumn,
      group: 'Organisation',
      permission: 'reports.read',
      key: 'v',
    },
  ],
  actions: [
    {
      id: 'new-report',
      label: 'New report',
      icon: FilePlus,
      to: '/reports',
      permission: 'reports.create',
      needsOrganisation: true,
    },
  ],
  live: reportsLive,
});

import { LayoutDashboard } from 'lucide-react';
import { defineFeature } from '../feature';

export const dashboardFeature = defineFeature({
  id: 'dashboard',
  nav: [{ to: '/', label: 'Dashboard', icon: LayoutDashboard, group: 'Fleet', key: 'h' }],
});

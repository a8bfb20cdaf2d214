import { Router } from 'lucide-react';
import { defineFeature } from '../feature';

export const devicesFeature = defineFeature({
  id: 'devices',
  nav: [{ to: '/devices', label: 'Devices', icon: Router, group: 'Fleet', key: 'd' }],
});

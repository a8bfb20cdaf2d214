import { Layers } from 'lucide-react';
import { rolloutsLive } from '@/api/rollouts';
import { defineFeature } from '../feature';

// Rollouts: the organisation's jobs over many routers (templates, bulk commands, Simple Config, firmware), each
// followed live, device by device, and paused, resumed, cancelled or retried.
export const rolloutsFeature = defineFeature({
  id: 'rollouts',
  nav: [{ to: '/rollouts', label: 'Rollouts', icon: Layers, group: 'Fleet', permission: 'rollouts.read', key: 'r' }],
  live: rolloutsLive,
});

import { Network } from 'lucide-react';
import { topologyLive } from '@/api/topology';
import { defineFeature } from '../feature';

// Topology: the links between the organisation's routers as they report them (neighbour discovery, wireless
// registrations), the neighbours TOD does not manage yet, and the path from the core to each device.
export const topologyFeature = defineFeature({
  id: 'topology',
  nav: [
    {
      to: '/topology',
      label: 'Topology',
      icon: Network,
      group: 'Fleet',
      permission: 'topology.read',
      key: 'y',
    },
  ],
  live: topologyLive,
});

import { Network } from 'lucide-react';
import { defineFeature } from '../feature';

export const vpnFeature = defineFeature({
  id: 'vpn',
  nav: [{ to: '/vpn', label: 'WireGuard VPN', icon: Network, group: 'Organisation', permission: 'vpn.read' }],
  actions: [
    {
      id: 'onboard-router',
      label: 'Onboard a router over WireGuard',
      icon: Network,
      to: '/vpn',
      permission: 'vpn.write',
      needsOrganisation: true,
    },
  ],
});

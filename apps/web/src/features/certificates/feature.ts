import { FileBadge, ShieldCheck } from 'lucide-react';
import { certificatesLive } from '@/api/certificates';
import { defineFeature } from '../feature';

// Certificates: the organisation's certificate authority and the certificates it signs for routers' api-ssl,
// deployed as safe changes (or rollouts), rotated and revoked, each followed live until TOD has verified it.
export const certificatesFeature = defineFeature({
  id: 'certificates',
  nav: [
    {
      to: '/certificates',
      label: 'Certificates',
      icon: FileBadge,
      group: 'Fleet',
      permission: 'certificates.read',
    },
  ],
  actions: [
    {
      id: 'deploy-certificates',
      label: 'Deploy router certificates',
      icon: ShieldCheck,
      to: '/certificates',
      permission: 'certificates.deploy',
      needsOrganisation: true,
    },
  ],
  live: certificatesLive,
});

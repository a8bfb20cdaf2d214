import { Building2, Plus } from 'lucide-react';
import { defineFeature } from '../feature';

export const organisationsFeature = defineFeature({
  id: 'organisations',
  nav: [
    {
      to: '/organisations',
      label: 'Organisations',
      icon: Building2,
      group: 'Administration',
      permission: 'tenants.create',
      key: 'o',
    },
  ],
  actions: [
    { id: 'new-org', label: 'Create organisation', icon: Plus, to: '/organisations', permission: 'tenants.create' },
  ],
});

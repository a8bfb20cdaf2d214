import { KeyRound } from 'lucide-react';
import { defineFeature } from '../feature';

export const apiKeysFeature = defineFeature({
  id: 'api-keys',
  nav: [
    {
      to: '/api-keys',
      label: 'API keys',
      icon: KeyRound,
      group: 'Organisation',
      permission: 'api_keys.list',
      key: 'k',
    },
  ],
  actions: [
    {
      id: 'new-key',
      label: 'Create API key',
      icon: KeyRound,
      to: '/api-keys',
      permission: 'api_keys.create',
      needsOrganisation: true,
    },
  ],
});

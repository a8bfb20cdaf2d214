import { FileCode2, Sparkles } from 'lucide-react';
import { templatesLive } from '@/api/templates';
import { defineFeature } from '../feature';

// Configuration templates: written once with typed variables, previewed per device, pushed as rollouts, and
// watched for drift.
export const templatesFeature = defineFeature({
  id: 'templates',
  nav: [
    {
      to: '/templates',
      label: 'Templates',
      icon: FileCode2,
      group: 'Fleet',
      permission: 'templates.read',
      key: 'p',
    },
  ],
  actions: [
    {
      id: 'new-template-from-starter',
      label: 'New template from a starter',
      icon: Sparkles,
      to: '/templates',
      permission: 'templates.write',
      needsOrganisation: true,
    },
  ],
  live: templatesLive,
});

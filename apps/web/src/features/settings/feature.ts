import { Settings } from 'lucide-react';
import { defineFeature } from '../feature';

export const settingsFeature = defineFeature({
  id: 'settings',
  nav: [{ to: '/settings', label: 'Settings', icon: Settings, group: 'Account', key: 's' }],
});

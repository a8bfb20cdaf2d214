import { KeyRound } from 'lucide-react';
import { defineFeature } from '../feature';

export const transparencyFeature = defineFeature({
  id: 'transparency',
  nav: [
    {
      to: '/transparency',
      label: 'Transparency',
      icon: KeyRound,
      group: 'Organisation',
      permission: 'transparency.read',
    },
  ],
});

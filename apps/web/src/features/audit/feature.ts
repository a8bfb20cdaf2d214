import { ScrollText } from 'lucide-react';
import { defineFeature } from '../feature';

export const auditFeature = defineFeature({
  id: 'audit',
  nav: [
    { to: '/audit', label: 'Audit log', icon: ScrollText, group: 'Organisation', permission: 'audit.list', key: 'a' },
  ],
});

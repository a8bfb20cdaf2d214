import { BellPlus, BellRing } from 'lucide-react';
import { defineFeature } from '../feature';

// Notification channels: where alerts are sent (features/alerts has the alerts and their rules).
export const notificationsFeature = defineFeature({
  id: 'notifications',
  nav: [
    {
      to: '/notification-channels',
      label: 'Notification channels',
      icon: BellRing,
      group: 'Fleet',
      permission: 'notifications.read',
      key: 'n',
    },
  ],
  actions: [
    {
      id: 'new-notification-channel',
      label: 'Create notification channel',
      icon: BellPlus,
      to: '/notification-channels',
      permission: 'notifications.write',
      needsOrganisation: true,
    },
  ],
});

import { UserPlus, Users } from 'lucide-react';
import { defineFeature } from '../feature';

export const usersFeature = defineFeature({
  id: 'users',
  nav: [{ to: '/users', label: 'Users', icon: Users, group: 'Organisation', permission: 'users.list', key: 'u' }],
  actions: [
    {
      id: 'new-user',
      label: 'Create user',
      icon: UserPlus,
      to: '/users',
      permission: 'users.create',
      needsOrganisation: true,
    },
  ],
});

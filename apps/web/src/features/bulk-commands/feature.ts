import { SquareTerminal } from 'lucide-react';
import { bulkCommandsLive } from '@/api/bulk-commands';
import { defineFeature } from '../feature';

// Bulk commands: RouterOS CLI typed once and run on many devices as a rollout, the outputs grouped by identical
// result (and downloadable), refreshed live while the run goes on.
export const bulkCommandsFeature = defineFeature({
  id: 'bulk-commands',
  nav: [
    {
      to: '/bulk-commands',
      label: 'Bulk commands',
      icon: SquareTerminal,
      group: 'Fleet',
      permission: 'bulk_commands.read',
      key: 'x',
    },
  ],
  live: bulkCommandsLive,
});

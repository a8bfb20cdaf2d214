import { createFileRoute } from '@tanstack/react-router';
import { ChannelsPage } from '@/features/notifications/channels-page';
import { newSearch } from '@/lib/search';

export const Route = createFileRoute('/_app/notification-channels')({
  validateSearch: newSearch,
  component: ChannelsPage,
});

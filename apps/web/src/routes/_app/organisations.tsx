import { createFileRoute } from '@tanstack/react-router';
import { OrganisationsPage } from '@/features/organisations/organisations-page';
import { newSearch } from '@/lib/search';

export const Route = createFileRoute('/_app/organisations')({
  validateSearch: newSearch,
  component: OrganisationsPage,
});

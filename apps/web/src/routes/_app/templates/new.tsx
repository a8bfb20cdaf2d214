import { createFileRoute } from '@tanstack/react-router';
import { NewTemplatePage, starterSearch } from '@/features/templates/new-template-page';

export const Route = createFileRoute('/_app/templates/new')({
  validateSearch: starterSearch,
  component: NewTemplatePage,
});

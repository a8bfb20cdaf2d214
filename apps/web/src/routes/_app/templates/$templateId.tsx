import { createFileRoute } from '@tanstack/react-router';
import { TemplatePage, tabSearch } from '@/features/templates/template-page';

export const Route = createFileRoute('/_app/templates/$templateId')({
  validateSearch: tabSearch,
  component: TemplatePage,
});

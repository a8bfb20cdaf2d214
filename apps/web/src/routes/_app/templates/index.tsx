import { createFileRoute } from '@tanstack/react-router';
import { TemplatesPage } from '@/features/templates/templates-page';
import { newSearch } from '@/lib/search';

export const Route = createFileRoute('/_app/templates/')({ validateSearch: newSearch, component: TemplatesPage });

import { createFileRoute } from '@tanstack/react-router';
import { RulesPage } from '@/features/alerts/rules-page';
import { newSearch } from '@/lib/search';

export const Route = createFileRoute('/_app/alerts/rules')({ validateSearch: newSearch, component: RulesPage });

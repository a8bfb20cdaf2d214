import { createFileRoute } from '@tanstack/react-router';
import { ReportsPage } from '@/features/reports/reports-page';
import { newSearch } from '@/lib/search';

export const Route = createFileRoute('/_app/reports')({ validateSearch: newSearch, component: ReportsPage });

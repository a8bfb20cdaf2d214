import { createFileRoute } from '@tanstack/react-router';
import { MaintenancePage } from '@/features/maintenance/maintenance-page';
import { newSearch } from '@/lib/search';

export const Route = createFileRoute('/_app/maintenance')({ validateSearch: newSearch, component: MaintenancePage });

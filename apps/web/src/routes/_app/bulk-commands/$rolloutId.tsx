import { createFileRoute } from '@tanstack/react-router';
import { ResultsPage } from '@/features/bulk-commands/results-page';

export const Route = createFileRoute('/_app/bulk-commands/$rolloutId')({ component: ResultsPage });

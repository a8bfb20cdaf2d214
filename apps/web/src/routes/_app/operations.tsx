import { createFileRoute } from '@tanstack/react-router';
import { OperationsPage } from '@/features/changes/operations-page';

export const Route = createFileRoute('/_app/operations')({ component: OperationsPage });

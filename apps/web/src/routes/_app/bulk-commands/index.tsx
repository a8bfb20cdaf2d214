import { createFileRoute } from '@tanstack/react-router';
import { BulkCommandsPage } from '@/features/bulk-commands/bulk-commands-page';

export const Route = createFileRoute('/_app/bulk-commands/')({ component: BulkCommandsPage });

import { createFileRoute } from '@tanstack/react-router';
import { ImportPage } from '@/features/devices/import-page';

export const Route = createFileRoute('/_app/devices/import')({ component: ImportPage });

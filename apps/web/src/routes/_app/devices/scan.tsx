import { createFileRoute } from '@tanstack/react-router';
import { ScanPage } from '@/features/devices/scan-page';

export const Route = createFileRoute('/_app/devices/scan')({ component: ScanPage });

import { createFileRoute } from '@tanstack/react-router';
import { WirelessIssuesPage } from '@/features/wireless/issues-page';

export const Route = createFileRoute('/_app/wireless')({ component: WirelessIssuesPage });

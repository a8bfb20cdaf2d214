import { createFileRoute } from '@tanstack/react-router';
import { SitePage } from '@/features/sites/site-page';

export const Route = createFileRoute('/_app/sites_/$siteId')({ component: SitePage });

import { createFileRoute } from '@tanstack/react-router';
import { TransparencyPage } from '@/features/transparency/transparency-page';

export const Route = createFileRoute('/_app/transparency')({ component: TransparencyPage });

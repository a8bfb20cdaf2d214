import { createFileRoute } from '@tanstack/react-router';
import { RolloutsPage } from '@/features/rollouts/rollouts-page';

export const Route = createFileRoute('/_app/rollouts/')({ component: RolloutsPage });

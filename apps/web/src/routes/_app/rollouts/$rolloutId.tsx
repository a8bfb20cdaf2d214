import { createFileRoute } from '@tanstack/react-router';
import { RolloutPage } from '@/features/rollouts/rollout-page';

export const Route = createFileRoute('/_app/rollouts/$rolloutId')({ component: RolloutPage });

import { createFileRoute } from '@tanstack/react-router';
import { Devices } from '@/features/devices/devices';

export const Route = createFileRoute('/_app/devices')({ component: Devices });

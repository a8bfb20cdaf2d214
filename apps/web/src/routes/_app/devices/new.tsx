import { createFileRoute } from '@tanstack/react-router';
import { AddDevicePage } from '@/features/devices/add-device-page';

export const Route = createFileRoute('/_app/devices/new')({ component: AddDevicePage });

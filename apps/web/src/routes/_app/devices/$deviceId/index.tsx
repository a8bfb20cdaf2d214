import { createFileRoute } from '@tanstack/react-router';
import { DeviceTabView } from '@/features/device/device-page';

export const Route = createFileRoute('/_app/devices/$deviceId/')({ component: DeviceTabView });

import { createFileRoute } from '@tanstack/react-router';
import { DeviceTabView } from '@/features/device/device-page';

// Every device tab a feature adds (features/<f>/feature.ts `deviceTabs`) is served here: no route file per tab.
export const Route = createFileRoute('/_app/devices/$deviceId/$tab')({ component: DeviceTabView });

import { createFileRoute } from '@tanstack/react-router';
import { AddDevicePage } from '@/features/devices/add-device-page';
import { addDeviceSearch } from '@/features/devices/add-device-search';

export const Route = createFileRoute('/_app/devices/new')({
  validateSearch: addDeviceSearch,
  component: AddDevicePage,
});

import { createFileRoute } from '@tanstack/react-router';
import { FirmwarePage, firmwareSearch } from '@/features/firmware/firmware-page';

export const Route = createFileRoute('/_app/firmware/')({ validateSearch: firmwareSearch, component: FirmwarePage });

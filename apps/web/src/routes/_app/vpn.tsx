import { createFileRoute } from '@tanstack/react-router';
import { VpnPage } from '@/features/vpn/vpn-page';
import { newSearch } from '@/lib/search';

export const Route = createFileRoute('/_app/vpn')({ validateSearch: newSearch, component: VpnPage });

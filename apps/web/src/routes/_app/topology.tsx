import { createFileRoute } from '@tanstack/react-router';
import { topologySearch } from '@/features/topology/search-params';
import { TopologyPage } from '@/features/topology/topology-page';

export const Route = createFileRoute('/_app/topology')({ validateSearch: topologySearch, component: TopologyPage });

import { createFileRoute } from '@tanstack/react-router';
import { ApiKeysPage } from '@/features/api-keys/api-keys-page';
import { newSearch } from '@/lib/search';

export const Route = createFileRoute('/_app/api-keys')({ validateSearch: newSearch, component: ApiKeysPage });

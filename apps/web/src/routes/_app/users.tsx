import { createFileRoute } from '@tanstack/react-router';
import { UsersPage } from '@/features/users/users-page';
import { newSearch } from '@/lib/search';

export const Route = createFileRoute('/_app/users')({ validateSearch: newSearch, component: UsersPage });

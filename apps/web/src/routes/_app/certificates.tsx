import { createFileRoute } from '@tanstack/react-router';
import { CertificatesPage } from '@/features/certificates/certificates-page';
import { newSearch } from '@/lib/search';

export const Route = createFileRoute('/_app/certificates')({ validateSearch: newSearch, component: CertificatesPage });

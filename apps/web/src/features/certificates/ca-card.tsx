import { useQuery } from '@tanstack/react-query';
import { Download, ShieldCheck } from 'lucide-react';
import { type Authority, caPemUrl, caQuery } from '@/api/certificates';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { dateTime } from '@/lib/format';
import { CreateCaForm } from './create-ca-form';
import { Fingerprint } from './fingerprint';
import { keyTypeLabel } from './words';

// The organisation's certificate authority: what it is (name, key type, fingerprint, validity) and its certificate
// to download; while there is none, the form that creates it (admins) or who can (everyone else).

export function CaCard({ tenantId, organisation }: { tenantId: string; organisation: string }) {
  const ca = useQuery(caQuery(tenantId));
  const canCreate = useCan('certificates.admin');
  if (ca.isPending)
    return (
      <Card role="status" aria-label="Loading the certificate authority" className="grid gap-2 p-4">
        <Skeleton className="h-4 w-48" />
        <Skeleton className="h-16" />
      </Card>
    );
  if (ca.error)
    return (
      <Card>
        <p role="alert" className="p-4 text-[13px] text-destructive">
          Could not load the certificate authority: {ca.error.message}
        </p>
      </Card>
    );
  if (!ca.data)
    return canCreate ? (
      <CreateCaForm tenantId={tenantId} organisation={organisation} />
    ) : (
      <Card data-no-ca>
        <EmptyState icon={ShieldCheck} title="No certificate authority yet">
          An admin of the organisation creates it; then operators deploy its certificates to the routers, and TOD
          verifies every connection to them.
        </EmptyState>
      </Card>
    );
  return <AuthorityDetails tenantId={tenantId} ca={ca.data} />;
}

function AuthorityDetails({ tenantId, ca }: { tenantId: string; ca: Authority }) {
  const expired = new Date(ca.not_after).getTime() <= Date.now();
  return (
    <Card aria-labelledby="ca-title" data-ca={ca.common_name}>
      <header className="flex flex-wrap items-start justify-between gap-4 border-b px-4 py-3">
        <div className="grid gap-0.5">
          <h2 id="ca-title" className="text-[13px] font-semibold">
            Certificate authority
          </h2>
          <p className="text-xs text-muted-foreground">
            Signs the routers’ api-ssl certificates. Its private key is sealed in TOD and never leaves it.
          </p>
        </div>
        <Button asChild size="sm">
          <a href={caPemUrl(tenantId)} download="tod-ca.pem">
            <Download aria-hidden /> Download CA certificate
          </a>
        </Button>
      </header>
      <dl className="grid gap-x-6 gap-y-3 px-4 py-3 text-[13px] sm:grid-cols-[max-content_1fr]">
        <dt className="text-muted-foreground">Common name</dt>
        <dd className="font-medium" data-ca-field="common_name">
          {ca.common_name}
        </dd>
        <dt className="text-muted-foreground">Key type</dt>
        <dd data-ca-field="key_type">{keyTypeLabel[ca.key_type]}</dd>
        <dt className="text-muted-foreground">Fingerprint (SHA-256)</dt>
        <dd data-ca-field="fingerprint">
          <Fingerprint value={ca.fingerprint} of="the certificate authority" full />
        </dd>
        <dt className="text-muted-foreground">Valid</dt>
        <dd data-ca-field="validity" className={expired ? 'text-destructive' : undefined}>
          {dateTime(ca.not_before)} – {dateTime(ca.not_after)}
          {expired ? ' (expired)' : ''}
        </dd>
        <dt className="text-muted-foreground">Created</dt>
        <dd className="text-muted-foreground">
          {dateTime(ca.created_at)}
          {ca.created_by ? ` by ${ca.created_by}` : ''}
        </dd>
      </dl>
    </Card>
  );
}

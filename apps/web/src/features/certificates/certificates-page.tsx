import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { ShieldCheck } from 'lucide-react';
import { useState } from 'react';
import {
  type Certificate,
  type CertificateFilters,
  type CertificateState,
  caQuery,
  certificatesQuery,
  rotateCertificate,
} from '@/api/certificates';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Select } from '@/components/ui/select';
import { useApiMutation } from '@/lib/mutation';
import { useFleetStream } from '../fleet/live';
import { CaCard } from './ca-card';
import { CertificatesTable } from './certificates-table';
import { DeployDialog } from './deploy-dialog';
import { RevokeDialog } from './revoke-dialog';
import { certificateStates, plural, stateLabel } from './words';

// Certificates: the organisation's CA (created here once by an admin) and the certificates it signed for routers'
// api-ssl, deployed, rotated and revoked here. A deploying certificate turns deployed without a reload (the live
// `change.operation` of its deploy, then a poll while the server proves it). Buttons follow `policies`.

const ANY = 'any';

export function CertificatesPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="certificates.read">
      <Certificates key={current.id} tenantId={current.id} organisation={current.name} />
    </RequirePermission>
  );
}

function Certificates({ tenantId, organisation }: { tenantId: string; organisation: string }) {
  // Deploy operations move on the stream (api/certificates.ts certificatesLive).
  useFleetStream(tenantId);
  const canDeploy = useCan('certificates.deploy');
  const can = { operations: useCan('changes.read'), rollouts: useCan('rollouts.read') };
  const ca = useQuery(caQuery(tenantId));
  const [filters, setFilters] = useState<CertificateFilters>({});
  const list = useQuery({ ...certificatesQuery(tenantId, filters), enabled: ca.data != null });
  const search = useSearch({ from: '/_app/certificates' });
  const navigate = useNavigate({ from: '/certificates' });
  const setDeploying = (open: boolean) => navigate({ search: open ? { new: true } : {}, replace: true });
  const [open, setOpen] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Certificate | null>(null);
  const rotate = useApiMutation(rotateCertificate, {
    success: (_r, v) => `Rotating the certificate of ${v.certificate.device_name ?? 'the device'}`,
  });
  const hasCa = ca.data != null;
  const certificates = list.data?.items ?? [];
  const stateOptions = [
    { value: ANY, label: 'Any state' },
    ...certificateStates.map((s) => ({ value: s, label: stateLabel[s] })),
  ];

  return (
    <>
      <PageHeader
        title="Certificates"
        description="The organisation’s certificate authority and the certificates it signs for routers’ API, so TOD verifies every connection."
        actions={
          canDeploy && hasCa ? (
            <Button variant="primary" onClick={() => setDeploying(true)}>
              <ShieldCheck aria-hidden /> Deploy certificates
            </Button>
          ) : null
        }
      />
      <div className="grid gap-4">
        <CaCard tenantId={tenantId} organisation={organisation} />
        {hasCa ? (
          <Card aria-labelledby="certificates-title">
            <header className="flex flex-wrap items-end justify-between gap-3 border-b px-4 py-3">
              <div className="grid gap-0.5">
                <h2 id="certificates-title" className="text-[13px] font-semibold">
                  Router certificates
                </h2>
                <p className="text-xs text-muted-foreground">
                  {list.data ? `${plural(list.data.total, 'certificate')}, newest first` : 'Newest first'}
                </p>
              </div>
              <Select
                aria-label="State"
                className="w-48"
                value={filters.state ?? ANY}
                onValueChange={(v) => setFilters(v === ANY ? {} : { state: v as CertificateState })}
                options={stateOptions}
              />
            </header>
            <CertificatesTable
              tenantId={tenantId}
              certificates={certificates}
              loading={list.isPending}
              error={list.error}
              filtered={filters.state !== undefined}
              can={can}
              open={open}
              onOpen={setOpen}
              rotating={rotate.isPending ? (rotate.variables?.certificate.id ?? null) : null}
              onRotate={(c) =>
                rotate.mutate({ tenantId, certificate: c }, { onSuccess: (r) => setOpen(r.certificate_id) })
              }
              onRevoke={setRevoking}
            />
          </Card>
        ) : null}
      </div>
      {canDeploy && hasCa && search.new === true ? (
        <DeployDialog tenantId={tenantId} onClose={() => setDeploying(false)} onDeployed={setOpen} />
      ) : null}
      {revoking ? <RevokeDialog tenantId={tenantId} certificate={revoking} onClose={() => setRevoking(null)} /> : null}
    </>
  );
}

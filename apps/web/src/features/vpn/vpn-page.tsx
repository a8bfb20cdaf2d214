import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { Network, Plus } from 'lucide-react';
import { vpnHubQuery, vpnPeersQuery } from '@/api/vpn';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Button } from '@/components/ui/button';
import { HubCard } from './hub-card';
import { OnboardDialog } from './onboard-dialog';
import { PeersCard } from './peers-card';

export function VpnPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="vpn.read">
      <Vpn tenantId={current.id} />
    </RequirePermission>
  );
}

function Vpn({ tenantId }: { tenantId: string }) {
  const search = useSearch({ from: '/_app/vpn' });
  const navigate = useNavigate({ from: '/vpn' });
  const hub = useQuery(vpnHubQuery(tenantId));
  const peers = useQuery(vpnPeersQuery(tenantId));
  const canWrite = hub.data?.policies.write === true;
  const canOnboard = canWrite && hub.data?.onboarding.available === true;
  const setOpen = (open: boolean) => navigate({ search: open ? { new: true } : {}, replace: true });

  return (
    <>
      <PageHeader
        title="WireGuard VPN"
        description="Routers behind NAT join this organisation's hub and TOD reaches them through it. Each organisation has its own keys and addresses; routers cannot reach each other."
        actions={
          canOnboard ? (
            <Button variant="primary" onClick={() => setOpen(true)}>
              <Plus aria-hidden /> Onboard router
            </Button>
          ) : null
        }
      />
      <div className="grid gap-4">
        <HubCard tenantId={tenantId} hub={hub.data} pending={hub.isPending} />
        <PeersCard
          tenantId={tenantId}
          peers={peers.data?.items}
          pending={peers.isPending}
          canWrite={canWrite}
          empty={
            canOnboard ? (
              <Button onClick={() => setOpen(true)}>
                <Network aria-hidden /> Onboard the first router
              </Button>
            ) : null
          }
        />
      </div>
      {canOnboard ? <OnboardDialog tenantId={tenantId} open={search.new === true} onOpenChange={setOpen} /> : null}
    </>
  );
}

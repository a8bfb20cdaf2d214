import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { ChevronLeft } from 'lucide-react';
import { sectorsQuery, siteQuery } from '@/api/sites';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Skeleton } from '@/components/ui/skeleton';
import { useFleetStream } from '../fleet/live';
import { HealthCard } from './health-card';
import { SectorsSection } from './sectors-section';
import { SiteAlerts } from './site-alerts';
import { SiteDevices } from './site-devices';
import { SiteLinks } from './site-links';

// A site's page: its health, its devices and their sectors, the sectors drawn from above, its wireless links and
// its site alerts. Writes follow the site's and each sector's `policies`; a viewer reads.

export function SitePage() {
  const { current } = useTenants();
  const { siteId } = useParams({ from: '/_app/sites_/$siteId' });
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="inventory.read">
      <SiteView key={`${current.id}-${siteId}`} tenantId={current.id} siteId={siteId} />
    </RequirePermission>
  );
}

function SiteView({ tenantId, siteId }: { tenantId: string; siteId: string }) {
  // Device statuses move live in the cached lists (features/fleet/live.ts).
  useFleetStream(tenantId);
  const site = useQuery(siteQuery(tenantId, siteId));
  const sectors = useQuery(sectorsQuery(tenantId, siteId)).data ?? [];
  const canRead = { wireless: useCan('wireless.read'), alerts: useCan('alerts.read') };
  const s = site.data;
  if (site.isError) return <p role="alert">{site.error.message}</p>;
  const canWrite = s?.policies['inventory.write'] === true;

  return (
    <>
      <Link
        to="/sites"
        className="mb-2 inline-flex items-center gap-1 text-[13px] text-muted-foreground hover:underline"
      >
        <ChevronLeft className="size-4" aria-hidden /> Sites
      </Link>
      <PageHeader title={s?.name ?? 'Site'} description={s?.address || undefined} />
      {!s ? (
        <div className="grid gap-2" role="status" aria-label="Loading">
          <Skeleton className="h-24" />
          <Skeleton className="h-40" />
        </div>
      ) : (
        <div className="grid gap-4">
          <HealthCard site={s} />
          <SiteDevices tenantId={tenantId} siteId={siteId} sectors={sectors} canWrite={canWrite} />
          <SectorsSection tenantId={tenantId} siteId={siteId} sectors={sectors} canCreate={canWrite} />
          {canRead.wireless ? <SiteLinks tenantId={tenantId} siteId={siteId} /> : null}
          {canRead.alerts ? <SiteAlerts tenantId={tenantId} siteId={siteId} sectors={sectors} /> : null}
        </div>
      )}
    </>
  );
}

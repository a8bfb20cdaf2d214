import { Radar, Router as RouterIcon, Search, Upload } from 'lucide-react';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';

/**
 * The device table. The virtualized 10,000-row table, add device, CSV import and subnet scan need the devices
 * API, which the fleet feature brings; this page is where they slot in (see apps/web/README.md).
 */
export function Devices() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <>
      <PageHeader title="Devices" description={`Every router in ${current.name}.`} />
      <Card>
        <div className="flex items-center gap-2 border-b px-3 py-2">
          <Search className="size-4 text-muted-foreground" aria-hidden />
          <Input
            data-page-search
            aria-label="Search devices"
            placeholder="Search by name, host, model…"
            className="h-7 border-0 bg-transparent px-0 shadow-none focus-visible:ring-0"
          />
        </div>
        <EmptyState icon={RouterIcon} title="No devices yet">
          Add routers one by one, import a CSV, or scan a subnet and adopt what answers. Device inventory arrives with
          the fleet feature.
        </EmptyState>
        <div className="grid gap-3 border-t p-4 sm:grid-cols-3">
          {[
            [RouterIcon, 'Add a device', 'Address, port, TLS and credentials, with a live probe'],
            [Upload, 'Import CSV', 'Many routers at once from a spreadsheet'],
            [Radar, 'Scan a subnet', 'Find RouterOS devices and adopt the ones you choose'],
          ].map(([Icon, title, text]) => {
            const I = Icon as typeof RouterIcon;
            return (
              <div key={title as string} className="grid gap-1.5 rounded-lg border border-dashed p-3">
                <span className="flex items-center gap-2 text-[13px] font-medium">
                  <I className="size-4 text-muted-foreground" aria-hidden />
                  {title as string}
                </span>
                <span className="text-xs text-muted-foreground">{text as string}</span>
                <Badge tone="info" className="justify-self-start">
                  Arrives with the fleet feature
                </Badge>
              </div>
            );
          })}
        </div>
      </Card>
    </>
  );
}

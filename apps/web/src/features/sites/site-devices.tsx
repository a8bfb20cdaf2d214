import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Plus, Router } from 'lucide-react';
import { useState } from 'react';
import { type DeviceListParams, devicesQuery } from '@/api/devices';
import { removeFromSite, type Sector, setDeviceSector } from '@/api/sites';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Select } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { useApiMutation } from '@/lib/mutation';
import { StatusBadge } from '../devices/status';
import { AssignDialog } from './assign-dialog';

// The devices at a site: status, sector (chosen here among the site's sectors), and for operators assignment of
// more devices and removal of one (it leaves the site and its sector; the device itself stays).

const NONE = 'none';
const fields = ['name', 'host', 'status', 'status_reason', 'disabled', 'site_id', 'sector_id'];

export const siteDevicesParams = (siteId: string): DeviceListParams => ({ fields, site_id: siteId, sort: 'name' });

export function SiteDevices(props: { tenantId: string; siteId: string; sectors: Sector[]; canWrite: boolean }) {
  const { tenantId, siteId, sectors, canWrite } = props;
  const list = useQuery(devicesQuery(tenantId, siteDevicesParams(siteId)));
  const [assigning, setAssigning] = useState(false);
  const remove = useApiMutation(removeFromSite, { success: (_r, v) => `${v.name} removed from the site` });
  const sector = useApiMutation(setDeviceSector, {
    success: (_r, v) =>
      v.sectorId ? `Sector set to ${sectors.find((s) => s.id === v.sectorId)?.name ?? 'it'}` : 'Sector cleared',
  });
  const devices = list.data?.items ?? [];
  const options = [{ value: NONE, label: 'No sector' }, ...sectors.map((s) => ({ value: s.id, label: s.name }))];
  const sectorName = (id: string | null) => sectors.find((s) => s.id === id)?.name ?? '—';

  return (
    <Card aria-label="Devices" data-site-devices>
      <CardHeader
        title="Devices"
        description="Devices at this site and the sector each is served by."
        actions={
          canWrite ? (
            <Button size="sm" onClick={() => setAssigning(true)}>
              <Plus aria-hidden /> Add devices
            </Button>
          ) : null
        }
      />
      {list.isPending ? (
        <div className="grid gap-2 p-4" role="status" aria-label="Loading">
          <Skeleton className="h-8" />
          <Skeleton className="h-8" />
        </div>
      ) : devices.length === 0 ? (
        <EmptyState icon={Router} title="No devices at this site">
          {canWrite ? 'Add devices to this site to see their health here.' : 'An operator can add devices here.'}
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Status</Th>
              <Th>Sector</Th>
              {canWrite ? (
                <Th className="w-24">
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </tr>
          </THead>
          <TBody>
            {devices.map((d) => (
              <tr key={d.id} data-device={d.name}>
                <Td className="font-medium">
                  <Link to="/devices/$deviceId" params={{ deviceId: d.id }} className="hover:underline">
                    {d.name}
                  </Link>
                </Td>
                <Td>
                  <StatusBadge d={d} />
                </Td>
                <Td className="w-48">
                  {canWrite && sectors.length > 0 ? (
                    <Select
                      aria-label={`Sector of ${d.name}`}
                      value={d.sector_id ?? NONE}
                      options={options}
                      onValueChange={(v) =>
                        sector.mutate({ tenantId, deviceId: d.id, sectorId: v === NONE ? null : v })
                      }
                    />
                  ) : (
                    <span data-sector>{sectorName(d.sector_id ?? null)}</span>
                  )}
                </Td>
                {canWrite ? (
                  <Td className="text-right">
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`Remove ${d.name} from the site`}
                      onClick={() => remove.mutate({ tenantId, siteId, deviceId: d.id, name: d.name ?? d.id })}
                    >
                      Remove
                    </Button>
                  </Td>
                ) : null}
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      {assigning ? <AssignDialog tenantId={tenantId} siteId={siteId} onClose={() => setAssigning(false)} /> : null}
    </Card>
  );
}

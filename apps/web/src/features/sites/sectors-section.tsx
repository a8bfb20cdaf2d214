import { useQuery } from '@tanstack/react-query';
import { Plus, RadioTower } from 'lucide-react';
import { useState } from 'react';
import { devicesQuery } from '@/api/devices';
import { deleteSector, type Sector } from '@/api/sites';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { useApiMutation } from '@/lib/mutation';
import { SectorDiagram } from './sector-diagram';
import { SectorDialog } from './sector-dialog';
import { siteDevicesParams } from './site-devices';
import { mhz, plural } from './words';

// The site's sectors beside the diagram; create, edit and delete follow `policies` (inventory.write/delete).

const apTone = { online: 'success', degraded: 'warning', offline: 'danger', unknown: 'neutral' } as const;

export function SectorsSection(props: { tenantId: string; siteId: string; sectors: Sector[]; canCreate: boolean }) {
  const { tenantId, siteId, sectors } = props;
  // The AP is one of the site's devices (the same list the devices section shows: one request for both).
  const devices = useQuery(devicesQuery(tenantId, siteDevicesParams(siteId))).data?.items ?? [];
  const [editing, setEditing] = useState<Sector | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Sector | null>(null);
  const remove = useApiMutation(deleteSector, { success: (_r, v) => `Sector ${v.sector.name} deleted` });

  return (
    <Card aria-label="Sectors" data-sectors>
      <CardHeader
        title="Sectors"
        description="Each AP's coverage: the bearing it faces, its beam width and frequency."
        actions={
          props.canCreate ? (
            <Button size="sm" onClick={() => setEditing('new')}>
              <Plus aria-hidden /> New sector
            </Button>
          ) : null
        }
      />
      {sectors.length === 0 ? (
        <EmptyState icon={RadioTower} title="No sectors yet">
          {props.canCreate
            ? 'Add a sector for each AP on this site: where it points and how wide its beam is.'
            : 'An operator can describe the site’s sectors here.'}
        </EmptyState>
      ) : (
        <div className="flex flex-wrap items-start gap-4 p-4">
          <SectorDiagram sectors={sectors} />
          <div className="min-w-0 flex-1">
            <Table>
              <THead>
                <tr>
                  <Th>Name</Th>
                  <Th>Azimuth</Th>
                  <Th>Width</Th>
                  <Th>Frequency</Th>
                  <Th>AP</Th>
                  <Th className="text-right">Devices</Th>
                  <Th className="w-32">
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </THead>
              <TBody>
                {sectors.map((s) => (
                  <tr key={s.id} data-sector-row={s.name}>
                    <Td className="font-medium">{s.name}</Td>
                    <Td className="tabular-nums">{s.azimuth}°</Td>
                    <Td className="tabular-nums">{s.width}°</Td>
                    <Td className="tabular-nums">{mhz(s.frequency)}</Td>
                    <Td>
                      {s.ap_device_name ? (
                        <span className="inline-flex items-center gap-2">
                          {s.ap_device_name}
                          <Badge tone={apTone[s.ap_device_status ?? 'unknown']}>
                            {s.ap_device_status ?? 'unknown'}
                          </Badge>
                        </span>
                      ) : (
                        '—'
                      )}
                    </Td>
                    <Td className="text-right tabular-nums">{s.device_count}</Td>
                    <Td className="text-right whitespace-nowrap">
                      {s.policies['inventory.write'] ? (
                        <Button size="sm" variant="ghost" aria-label={`Edit ${s.name}`} onClick={() => setEditing(s)}>
                          Edit
                        </Button>
                      ) : null}
                      {s.policies['inventory.delete'] ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          className="text-destructive hover:text-destructive"
                          aria-label={`Delete ${s.name}`}
                          onClick={() => setDeleting(s)}
                        >
                          Delete
                        </Button>
                      ) : null}
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          </div>
        </div>
      )}
      {editing ? (
        <SectorDialog
          tenantId={tenantId}
          siteId={siteId}
          sector={editing === 'new' ? undefined : editing}
          devices={devices}
          onClose={() => setEditing(null)}
        />
      ) : null}
      <Confirm
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={`Delete ${deleting?.name ?? ''}?`}
        description={
          deleting?.device_count
            ? `${plural(deleting.device_count, 'device')} in it stay at the site, without a sector.`
            : 'This cannot be undone.'
        }
        confirm="Delete sector"
        busy={remove.isPending}
        onConfirm={() =>
          deleting && remove.mutate({ tenantId, siteId, sector: deleting }, { onSettled: () => setDeleting(null) })
        }
      />
    </Card>
  );
}

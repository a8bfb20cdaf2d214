import { useQuery } from '@tanstack/react-query';
import { interfacesQuery } from '@/api/metrics';
import { Card, CardHeader } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import type { DeviceTabProps } from '../feature';
import { bps } from '../fleet/format';
import { Traffic } from './metrics';

/** The device tab: traffic over time per interface, and every interface's state and rates now. */
export default function InterfacesTab({ tenantId, deviceId }: DeviceTabProps) {
  const q = useQuery(interfacesQuery(tenantId, deviceId));
  const items = q.data?.items ?? [];
  return (
    <>
      <Traffic tenantId={tenantId} deviceId={deviceId} interfaces={items} />
      <Card>
        <CardHeader title="Interfaces" description="Latest counters and rates per interface." />
        {q.isPending ? (
          <Skeleton className="m-4 h-20" />
        ) : items.length === 0 ? (
          <p className="p-4 text-[13px] text-muted-foreground">
            No interfaces reported yet: they arrive with the first poll.
          </p>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Type</Th>
                <Th>State</Th>
                <Th className="text-right">Rx</Th>
                <Th className="text-right">Tx</Th>
                <Th>MAC</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((i) => (
                <tr key={i.name} data-interface={i.name}>
                  <Td className="font-mono text-xs">{i.name}</Td>
                  <Td className="text-muted-foreground">{i.type ?? '—'}</Td>
                  <Td>{i.disabled ? 'disabled' : i.running ? 'running' : 'down'}</Td>
                  <Td className="text-right tabular-nums" data-rx>
                    {bps(i.rx_bps)}
                  </Td>
                  <Td className="text-right tabular-nums">{bps(i.tx_bps)}</Td>
                  <Td className="font-mono text-xs text-muted-foreground">{i.mac_address ?? '—'}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}

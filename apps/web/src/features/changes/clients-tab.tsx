import { useQueries, useQuery } from '@tanstack/react-query';
import { Users } from 'lucide-react';
import { menusQuery, rowsQuery } from '@/api/changes';
import { Badge } from '@/components/ui/badge';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import type { DeviceTabProps } from '../feature';
import { mergeClients, registrationMenus, type Source } from './clients';

// The Clients tab (read-only): who is on this router's networks, one row per MAC address from its DHCP leases, ARP
// table and wireless registrations.

const sourceLabel: Record<Source, string> = { dhcp: 'DHCP', arp: 'ARP', wireless: 'Wireless' };

export default function ClientsTab({ tenantId, deviceId }: DeviceTabProps) {
  const menus = useQuery(menusQuery(tenantId, deviceId));
  const wireless = registrationMenus(menus.data?.menus ?? []);
  const paths = ['/ip/dhcp-server/lease', '/ip/arp', ...wireless];
  const results = useQueries({
    queries: paths.map((p) => ({ ...rowsQuery(tenantId, deviceId, p), enabled: menus.isSuccess })),
  });
  const pending = menus.isPending || results.some((r) => r.isPending);
  const failed = results.find((r) => r.error)?.error ?? menus.error;
  const rows = (i: number) => results[i]?.data?.rows ?? [];
  const clients = pending
    ? []
    : mergeClients({
        leases: rows(0),
        arp: rows(1),
        wireless: wireless.flatMap((_, i) => rows(2 + i)),
      });
  return (
    <Card data-clients={pending ? '' : clients.length}>
      <CardHeader
        title="Clients"
        description="DHCP leases, ARP entries and wireless registrations, one row per MAC address, read from the device now."
      />
      {failed ? (
        <p role="alert" className="p-4 text-[13px] text-destructive">
          Could not read the clients from the device: {failed.message}
        </p>
      ) : pending ? (
        <TableSkeleton rows={4} cols={5} />
      ) : clients.length === 0 ? (
        <EmptyState icon={Users} title="No clients">
          The router has no DHCP leases, ARP entries or wireless registrations right now.
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>MAC address</Th>
              <Th>IP address</Th>
              <Th>Host name</Th>
              <Th>Seen in</Th>
              <Th>Interface</Th>
              <Th>Signal</Th>
              <Th>Lease</Th>
            </tr>
          </THead>
          <TBody>
            {clients.map((c) => (
              <tr key={c.mac} data-client={c.mac} data-sources={c.sources.join(' ')}>
                <Td className="font-mono text-xs">{c.mac}</Td>
                <Td className="font-mono text-xs">{c.address ?? '—'}</Td>
                <Td>{c.hostName ?? '—'}</Td>
                <Td>
                  <div className="flex gap-1">
                    {c.sources.map((s) => (
                      <Badge key={s} tone="outline">
                        {sourceLabel[s]}
                      </Badge>
                    ))}
                  </div>
                </Td>
                <Td className="font-mono text-xs">{c.interface ?? '—'}</Td>
                <Td className="tabular-nums">{c.signal ? `${c.signal} dBm` : '—'}</Td>
                <Td className="text-xs">{c.leaseStatus ?? '—'}</Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

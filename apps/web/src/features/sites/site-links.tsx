import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Wifi } from 'lucide-react';
import { siteLinksQuery } from '@/api/wireless';
import { Badge } from '@/components/ui/badge';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago } from '@/lib/format';
import { dbm, linkStateLabel, linkStateTone } from './words';

// The wireless links with an end at this site: AP → CPE, state and signal as the AP last reported them.

export function SiteLinks({ tenantId, siteId }: { tenantId: string; siteId: string }) {
  const links = useQuery(siteLinksQuery(tenantId, siteId));
  const items = links.data ?? [];
  return (
    <Card aria-label="Wireless links" data-site-links>
      <CardHeader title="Wireless links" description="AP to CPE, from the APs' registration tables." />
      {items.length === 0 ? (
        <EmptyState icon={Wifi} title={links.isPending ? 'Loading…' : 'No wireless links'}>
          Links appear once an AP at this site reports a CPE that TOD manages.
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>AP</Th>
              <Th>CPE</Th>
              <Th>State</Th>
              <Th className="text-right">Signal</Th>
              <Th className="text-right">CCQ</Th>
              <Th>Last seen</Th>
            </tr>
          </THead>
          <TBody>
            {items.map((l) => (
              <tr key={l.id} data-link={`${l.ap_name} → ${l.cpe_name}`}>
                <Td>
                  <Link
                    to="/devices/$deviceId/$tab"
                    params={{ deviceId: l.ap_device_id, tab: 'wireless' }}
                    className="hover:underline"
                  >
                    {l.ap_name}
                  </Link>
                  <span className="ml-1 text-xs text-muted-foreground">{l.interface}</span>
                </Td>
                <Td>
                  <Link
                    to="/devices/$deviceId/$tab"
                    params={{ deviceId: l.cpe_device_id, tab: 'wireless' }}
                    className="hover:underline"
                  >
                    {l.cpe_name}
                  </Link>
                </Td>
                <Td>
                  <Badge tone={linkStateTone[l.state]} data-state={l.state}>
                    {linkStateLabel[l.state]}
                  </Badge>
                </Td>
                <Td className="text-right tabular-nums">{dbm(l.signal)}</Td>
                <Td className="text-right tabular-nums">{l.tx_ccq === null ? '—' : `${l.tx_ccq}%`}</Td>
                <Td className="text-muted-foreground">{ago(l.last_seen)}</Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

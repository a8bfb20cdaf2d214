import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { CheckCircle2 } from 'lucide-react';
import { wirelessIssuesQuery } from '@/api/wireless';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { dbm, issueLabel, pct } from './words';

// The organisation's APs with wireless problems (weak or falling client signal, low CCQ, clients dropped), each
// linking to the AP's Wireless tab.

export function WirelessIssuesPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="wireless.read">
      <Issues key={current.id} tenantId={current.id} />
    </RequirePermission>
  );
}

function Issues({ tenantId }: { tenantId: string }) {
  const q = useQuery(wirelessIssuesQuery(tenantId));
  const items = q.data?.items ?? [];
  const th = q.data?.thresholds;
  return (
    <>
      <PageHeader
        title="Wireless issues"
        description={
          th
            ? `APs with clients below ${th.degraded_signal_dbm} dBm, CCQ under ${th.low_ccq_pct}%, clients dropped, or signal down ${th.trend_drop_db} dB over ${th.trend_days} days.`
            : 'APs with weak or falling client signal, low CCQ or dropped clients.'
        }
      />
      <Card>
        {q.isPending ? (
          <div className="grid gap-2 p-4" role="status" aria-label="Loading">
            <Skeleton className="h-8" />
            <Skeleton className="h-8" />
          </div>
        ) : items.length === 0 ? (
          <EmptyState icon={CheckCircle2} title="No wireless issues">
            Every AP's clients have a good signal and CCQ, and none dropped recently.
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>AP</Th>
                <Th>Issues</Th>
                <Th className="text-right">Clients</Th>
                <Th className="text-right">Weak</Th>
                <Th className="text-right">Low CCQ</Th>
                <Th className="text-right">Dropped</Th>
                <Th className="text-right">Falling</Th>
                <Th className="text-right">Worst signal</Th>
                <Th className="text-right">Avg CCQ</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((ap) => (
                <tr key={ap.device_id} data-ap={ap.name}>
                  <Td className="font-medium">
                    <Link
                      to="/devices/$deviceId/$tab"
                      params={{ deviceId: ap.device_id, tab: 'wireless' }}
                      className="hover:underline"
                    >
                      {ap.name}
                    </Link>
                  </Td>
                  <Td>
                    <span className="flex flex-wrap gap-1">
                      {ap.issues.map((i) => (
                        <Badge key={i} tone={i === 'dropped_clients' ? 'danger' : 'warning'} data-issue={i}>
                          {issueLabel[i]}
                        </Badge>
                      ))}
                    </span>
                  </Td>
                  <Td className="text-right tabular-nums">{ap.clients}</Td>
                  <Td className="text-right tabular-nums">{ap.degraded_clients}</Td>
                  <Td className="text-right tabular-nums">{ap.low_ccq_clients}</Td>
                  <Td className="text-right tabular-nums">{ap.dropped_clients}</Td>
                  <Td className="text-right tabular-nums">{ap.falling_clients}</Td>
                  <Td className="text-right tabular-nums">{dbm(ap.worst_signal)}</Td>
                  <Td className="text-right tabular-nums">{pct(ap.avg_ccq)}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}

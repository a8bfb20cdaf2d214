import { Link } from '@tanstack/react-router';
import { Network } from 'lucide-react';
import { useState } from 'react';
import { deletePeer, type VpnPeer } from '@/api/vpn';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { bytes, peerState } from './words';

/** One row per router: its tunnel address and what the hub last saw of it. */
export function PeersCard(props: {
  tenantId: string;
  peers: VpnPeer[] | undefined;
  pending: boolean;
  canWrite: boolean;
  empty: React.ReactNode;
}) {
  const [removing, setRemoving] = useState<VpnPeer | null>(null);
  const remove = useApiMutation(deletePeer, { success: (_r, v) => `${v.peer.device_name} removed from the hub` });
  const items = props.peers ?? [];
  return (
    <Card aria-label="Peers">
      <CardHeader title="Peers" description="Handshakes and transfer as the hub last reported them." />
      {props.pending ? (
        <TableSkeleton cols={6} />
      ) : items.length === 0 ? (
        <EmptyState icon={Network} title="No routers on the hub" action={props.empty}>
          Onboarding a router adds it to TOD and gives you the commands that connect it to this hub.
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Device</Th>
              <Th>Tunnel address</Th>
              <Th>Status</Th>
              <Th className="text-right">Received</Th>
              <Th className="text-right">Sent</Th>
              <Th>Seen from</Th>
              {props.canWrite ? (
                <Th className="w-24">
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </tr>
          </THead>
          <TBody>
            {items.map((p) => {
              const state = peerState(p);
              return (
                <tr key={p.id} data-peer={p.device_name}>
                  <Td className="font-medium">
                    <Link to="/devices/$deviceId" params={{ deviceId: p.device_id }} className="hover:underline">
                      {p.device_name}
                    </Link>
                  </Td>
                  <Td className="font-mono text-xs">{p.address}</Td>
                  <Td>
                    <Badge tone={state.tone} title={dateTime(p.status.last_handshake_at)} data-status>
                      {state.label}
                    </Badge>
                  </Td>
                  <Td className="text-right tabular-nums" data-rx>
                    {bytes(p.status.rx_bytes)}
                  </Td>
                  <Td className="text-right tabular-nums" data-tx>
                    {bytes(p.status.tx_bytes)}
                  </Td>
                  <Td className="font-mono text-xs text-muted-foreground">{p.status.endpoint ?? '—'}</Td>
                  {props.canWrite ? (
                    <Td className="text-right">
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-destructive hover:text-destructive"
                        aria-label={`Remove ${p.device_name} from the hub`}
                        onClick={() => setRemoving(p)}
                      >
                        Remove
                      </Button>
                    </Td>
                  ) : null}
                </tr>
              );
            })}
          </TBody>
        </Table>
      )}
      <Confirm
        open={removing !== null}
        onOpenChange={(o) => !o && setRemoving(null)}
        title={`Remove “${removing?.device_name ?? ''}” from the hub?`}
        description="TOD stops reaching it through the tunnel. The device stays in TOD, and the router keeps its WireGuard interface until removed there."
        confirm="Remove peer"
        busy={remove.isPending}
        onConfirm={() =>
          removing &&
          remove.mutate({ tenantId: props.tenantId, peer: removing }, { onSettled: () => setRemoving(null) })
        }
      />
    </Card>
  );
}

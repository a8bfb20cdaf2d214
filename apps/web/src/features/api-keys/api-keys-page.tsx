import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { KeyRound, Plus } from 'lucide-react';
import { useState } from 'react';
import { apiKeysQuery, revokeApiKey } from '@/api/api-keys';
import type { ApiKey } from '@/api/types';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago, dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { CreateKeyDialog } from './create-key-dialog';

export function ApiKeysPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="api_keys.list">
      <ApiKeys tenantId={current.id} />
    </RequirePermission>
  );
}

function status(k: ApiKey) {
  if (k.revoked_at) return <Badge>Revoked</Badge>;
  if (k.expires_at && new Date(k.expires_at) < new Date()) return <Badge tone="warning">Expired</Badge>;
  return <Badge tone="success">Active</Badge>;
}

function ApiKeys({ tenantId }: { tenantId: string }) {
  const canCreate = useCan('api_keys.create');
  const search = useSearch({ from: '/_app/api-keys' });
  const navigate = useNavigate({ from: '/api-keys' });
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const list = useQuery(apiKeysQuery(tenantId));
  const revoke = useApiMutation(revokeApiKey, { success: (_r, v) => `API key “${v.key.name}” revoked` });
  const setOpen = (open: boolean) => navigate({ search: open ? { new: true } : {}, replace: true });
  const items = list.data?.items ?? [];

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let scripts call the TOD API with operator rights in this organisation."
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => setOpen(true)}>
              <Plus aria-hidden /> New API key
            </Button>
          ) : null
        }
      />
      <Card>
        {list.isPending ? (
          <TableSkeleton cols={5} />
        ) : items.length === 0 ? (
          <EmptyState
            icon={KeyRound}
            title="No API keys"
            action={
              canCreate ? (
                <Button onClick={() => setOpen(true)}>
                  <Plus aria-hidden /> Create the first key
                </Button>
              ) : null
            }
          >
            Create a key for each integration, so one can be revoked without touching the others.
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Key</Th>
                <Th>Status</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th className="w-24">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {items.map((k) => (
                <tr key={k.id} data-key={k.name}>
                  <Td className="font-medium">{k.name}</Td>
                  <Td className="font-mono text-xs text-muted-foreground">{k.key_prefix}…</Td>
                  <Td>{status(k)}</Td>
                  <Td className="text-muted-foreground" title={dateTime(k.created_at)}>
                    {ago(k.created_at)}
                  </Td>
                  <Td className="text-muted-foreground">{ago(k.last_used_at)}</Td>
                  <Td className="text-right">
                    {k.policies['api_keys.revoke'] && !k.revoked_at ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-destructive hover:text-destructive"
                        onClick={() => setRevoking(k)}
                      >
                        Revoke
                      </Button>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      {canCreate ? <CreateKeyDialog tenantId={tenantId} open={search.new === true} onOpenChange={setOpen} /> : null}
      <Confirm
        open={revoking !== null}
        onOpenChange={(o) => !o && setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        description="Anything using this key stops working at once. This cannot be undone."
        confirm="Revoke key"
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate({ tenantId, key: revoking }, { onSettled: () => setRevoking(null) })}
      />
    </>
  );
}

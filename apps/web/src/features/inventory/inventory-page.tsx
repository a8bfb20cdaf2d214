import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Plus } from 'lucide-react';
import { useMemo, useState } from 'react';
import { deleteEntry, type Entry, type InventoryKindId, inventoryQuery } from '@/api/inventory';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { EntryDialog } from './entry-dialog';
import { type InventoryKind, inventoryKinds } from './kinds';

/** The list page of one inventory kind: entries with their device counts, create, edit, delete. */
export function InventoryPage({ kindId }: { kindId: InventoryKindId }) {
  const kind = inventoryKinds[kindId];
  return (
    <RequirePermission permission={kind.read}>
      <Inventory kind={kind} />
    </RequirePermission>
  );
}

function Inventory<K extends InventoryKindId>({ kind }: { kind: InventoryKind<K> }) {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return <Entries key={`${current.id}-${kind.id}`} kind={kind} tenantId={current.id} />;
}

function Entries<K extends InventoryKindId>({ kind, tenantId }: { kind: InventoryKind<K>; tenantId: string }) {
  const canCreate = useCan(kind.write);
  const list = useQuery(inventoryQuery(tenantId, kind.id));
  const [editing, setEditing] = useState<Entry<K> | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Entry<K> | null>(null);
  const removing = useMemo(() => deleteEntry(kind.id), [kind.id]);
  const remove = useApiMutation(removing, { success: (_r, v) => `${v.entry.name} deleted` });
  const columns = kind.fields.filter((f) => f.column);
  const items = list.data ?? [];
  const Icon = kind.icon;

  return (
    <>
      <PageHeader
        title={kind.title}
        description={kind.description}
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              <Plus aria-hidden /> New {kind.singular}
            </Button>
          ) : null
        }
      />
      <Card>
        {list.isPending ? (
          <div className="grid gap-2 p-4" role="status" aria-label="Loading">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} className="h-8" />
            ))}
          </div>
        ) : items.length === 0 ? (
          <EmptyState icon={Icon} title={`No ${kind.title.toLowerCase()} yet`}>
            {kind.empty}
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                {columns.map((c) => (
                  <Th key={c.key}>{c.label}</Th>
                ))}
                <Th className="text-right">Devices</Th>
                <Th>Updated</Th>
                <Th className="w-36">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {items.map((e) => (
                <tr key={e.id} data-entry={e.name}>
                  <Td className="font-medium">
                    {kind.id === 'sites' ? (
                      <Link to="/sites/$siteId" params={{ siteId: e.id }} className="hover:underline">
                        {e.name}
                      </Link>
                    ) : (
                      e.name
                    )}
                  </Td>
                  {columns.map((c) => (
                    <Td key={c.key} className="max-w-72 truncate text-muted-foreground">
                      {c.kind === 'colour' ? <Swatch colour={String(e[c.key] ?? '')} /> : String(e[c.key] || '—')}
                    </Td>
                  ))}
                  <Td className="text-right tabular-nums">{e.device_count.toLocaleString()}</Td>
                  <Td className="text-muted-foreground">{ago(e.updated_at)}</Td>
                  <Td className="text-right whitespace-nowrap">
                    {e.policies[kind.write] ? (
                      <Button size="sm" variant="ghost" onClick={() => setEditing(e)} aria-label={`Edit ${e.name}`}>
                        Edit
                      </Button>
                    ) : null}
                    {e.policies[kind.remove] ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-destructive hover:text-destructive"
                        onClick={() => setDeleting(e)}
                        aria-label={`Delete ${e.name}`}
                      >
                        Delete
                      </Button>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      <EntryDialog
        tenantId={tenantId}
        kind={kind}
        open={creating || editing !== null}
        entry={editing}
        onOpenChange={(o) => {
          if (!o) {
            setCreating(false);
            setEditing(null);
          }
        }}
      />
      <Confirm
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={`Delete ${deleting?.name ?? ''}?`}
        description={
          deleting?.device_count
            ? `${deleting.device_count.toLocaleString()} devices use this ${kind.singular}; they lose it. This cannot be undone.`
            : 'This cannot be undone.'
        }
        confirm={`Delete ${kind.singular}`}
        busy={remove.isPending}
        onConfirm={() =>
          deleting && remove.mutate({ tenantId, entry: deleting }, { onSettled: () => setDeleting(null) })
        }
      />
    </>
  );
}

function Swatch({ colour }: { colour: string }) {
  return (
    <span className="inline-flex items-center gap-2 font-mono text-xs">
      <span aria-hidden className="size-3 rounded-full border" style={{ backgroundColor: colour }} />
      {colour}
    </span>
  );
}

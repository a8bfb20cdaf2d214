import { useNavigate, useSearch } from '@tanstack/react-router';
import { Building2, Loader2, Plus } from 'lucide-react';
import { useState } from 'react';
import { createTenant, deleteTenant } from '@/api/tenants';
import type { Tenant } from '@/api/types';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';

export function OrganisationsPage() {
  return (
    <RequirePermission permission="tenants.create">
      <Organisations />
    </RequirePermission>
  );
}

function Organisations() {
  const { tenants, current, select } = useTenants();
  const canCreate = useCan('tenants.create');
  const search = useSearch({ from: '/_app/organisations' });
  const navigate = useNavigate({ from: '/organisations' });
  const [deleting, setDeleting] = useState<Tenant | null>(null);
  const remove = useApiMutation(deleteTenant, {
    success: (_r, t) => `${t.name} deleted`,
  });
  const setOpen = (open: boolean) => navigate({ search: open ? { new: true } : {}, replace: true });

  return (
    <>
      <PageHeader
        title="Organisations"
        description="Each organisation's devices, users and audit trail are isolated from every other's."
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => setOpen(true)}>
              <Plus aria-hidden /> New organisation
            </Button>
          ) : null
        }
      />
      <Card>
        {tenants.length === 0 ? (
          <EmptyState icon={Building2} title="No organisations">
            Create one for each customer or team whose routers TOD manages.
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Description</Th>
                <Th>Created</Th>
                <Th className="w-44">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {tenants.map((t) => (
                <tr key={t.id} data-tenant={t.name}>
                  <Td className="font-medium">
                    {t.name} {t.id === current?.id ? <Badge className="ml-1.5">Current</Badge> : null}
                  </Td>
                  <Td className="max-w-72 truncate text-muted-foreground">{t.description || '—'}</Td>
                  <Td className="text-muted-foreground">{ago(t.created_at)}</Td>
                  <Td className="text-right whitespace-nowrap">
                    {t.id !== current?.id ? (
                      <Button size="sm" variant="ghost" onClick={() => select(t.id)}>
                        Switch to
                      </Button>
                    ) : null}
                    {t.policies['tenants.delete'] ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-destructive hover:text-destructive"
                        onClick={() => setDeleting(t)}
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
      {canCreate ? (
        <CreateOrganisationDialog open={search.new === true} onOpenChange={setOpen} onCreated={select} />
      ) : null}
      <Confirm
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={`Delete ${deleting?.name ?? ''}?`}
        description="Its users, API keys and devices are deleted with it. The audit trail is kept. This cannot be undone."
        confirm="Delete organisation"
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting, { onSettled: () => setDeleting(null) })}
      />
    </>
  );
}

function CreateOrganisationDialog(props: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  onCreated: (id: string) => void;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useApiMutation(createTenant, {
    success: (t) => `${t.name} created`,
    silentErrors: true,
  });
  const close = (o: boolean) => {
    props.onOpenChange(o);
    if (!o) {
      setName('');
      setDescription('');
      create.reset();
    }
  };
  return (
    <Dialog open={props.open} onOpenChange={close}>
      <DialogContent title="New organisation" description="A customer or team with its own devices and users.">
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(
              { name, description },
              {
                onSuccess: (t) => {
                  props.onCreated(t.id);
                  close(false);
                },
              },
            );
          }}
        >
          <Field id="tenant-name" label="Name" error={create.error?.field('name') ?? create.error?.detail}>
            <Input id="tenant-name" autoFocus value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field id="tenant-description" label="Description" hint="Optional">
            <Input id="tenant-description" value={description} onChange={(e) => setDescription(e.target.value)} />
          </Field>
          <DialogFooter>
            <Button onClick={() => close(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={create.isPending || !name.trim()}>
              {create.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              Create organisation
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { MoreHorizontal, Search, UserPlus, Users as UsersIcon } from 'lucide-react';
import { useState } from 'react';
import type { TenantRole, User } from '@/api/types';
import { updateUser, usersQuery } from '@/api/users';
import { useCan, useMe } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago, roleLabel } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { CreateUserDialog } from './create-user-dialog';
import { ResetSignInDialog } from './reset-sign-in-dialog';
import { roleOptions } from './roles';

export function UsersPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="users.list">
      <Users tenantId={current.id} tenantName={current.name} />
    </RequirePermission>
  );
}

function Users({ tenantId, tenantName }: { tenantId: string; tenantName: string }) {
  const me = useMe();
  const canCreate = useCan('users.create');
  const search = useSearch({ from: '/_app/users' });
  const navigate = useNavigate({ from: '/users' });
  const [q, setQ] = useState('');
  const [resetting, setResetting] = useState<User | null>(null);
  const list = useQuery(usersQuery(tenantId, q));
  const update = useApiMutation(updateUser, {
    success: (u, v) =>
      v.body.role
        ? `${u.name} is now ${roleLabel[u.role]?.toLowerCase()}`
        : u.is_active
          ? `${u.name} reactivated`
          : `${u.name} deactivated`,
  });
  const setOpen = (open: boolean) => navigate({ search: open ? { new: true } : {}, replace: true });
  const items = list.data?.items ?? [];

  return (
    <>
      <PageHeader
        title="Users"
        description={`People who can sign in to ${tenantName}, and what they may do.`}
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => setOpen(true)}>
              <UserPlus aria-hidden /> New user
            </Button>
          ) : null
        }
      />
      <Card>
        <div className="flex items-center gap-2 border-b px-3 py-2">
          <Search className="size-4 text-muted-foreground" aria-hidden />
          <Input
            data-page-search
            aria-label="Search users"
            placeholder="Search by name or email…"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            className="h-7 border-0 bg-transparent px-0 shadow-none focus-visible:ring-0"
          />
          {list.data ? (
            <span className="text-xs whitespace-nowrap text-muted-foreground">{list.data.total} total</span>
          ) : null}
        </div>
        {list.isPending ? (
          <TableSkeleton cols={4} />
        ) : items.length === 0 ? (
          <EmptyState icon={UsersIcon} title={q ? 'No users match' : 'No users yet'}>
            {q ? 'Try a different name or email.' : 'Create a user for each person who manages these routers.'}
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th className="w-40">Role</Th>
                <Th>Status</Th>
                <Th>Last sign-in</Th>
                <Th className="w-10">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {items.map((u) => {
                const self = u.id === me.id;
                const canEdit = u.policies['users.update'] === true && !self;
                return (
                  <tr key={u.id} data-user={u.email}>
                    <Td>
                      <div className="grid leading-tight">
                        <span className="font-medium">
                          {u.name} {self ? <span className="text-xs text-muted-foreground">(you)</span> : null}
                        </span>
                        <span className="text-xs text-muted-foreground">{u.email}</span>
                      </div>
                    </Td>
                    <Td>
                      {canEdit ? (
                        <Select
                          aria-label={`Role of ${u.name}`}
                          value={u.role}
                          options={roleOptions}
                          onValueChange={(role) =>
                            update.mutate({ tenantId, user: u, body: { role: role as TenantRole } })
                          }
                          className="h-7"
                        />
                      ) : (
                        <span>{roleLabel[u.role] ?? u.role}</span>
                      )}
                    </Td>
                    <Td>
                      {!u.is_active ? (
                        <Badge>Deactivated</Badge>
                      ) : u.must_upgrade_auth ? (
                        <Badge tone="warning">Must enrol</Badge>
                      ) : (
                        <Badge tone="success">Active</Badge>
                      )}
                    </Td>
                    <Td className="text-muted-foreground">{ago(u.last_login_at)}</Td>
                    <Td>
                      {canEdit ? (
                        <DropdownMenu>
                          <DropdownMenuTrigger asChild>
                            <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${u.name}`}>
                              <MoreHorizontal />
                            </Button>
                          </DropdownMenuTrigger>
                          <DropdownMenuContent align="end">
                            <DropdownMenuItem onSelect={() => setResetting(u)}>Reset sign-in…</DropdownMenuItem>
                            <DropdownMenuItem
                              destructive={u.is_active}
                              onSelect={() => update.mutate({ tenantId, user: u, body: { is_active: !u.is_active } })}
                            >
                              {u.is_active ? 'Deactivate' : 'Reactivate'}
                            </DropdownMenuItem>
                          </DropdownMenuContent>
                        </DropdownMenu>
                      ) : null}
                    </Td>
                  </tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>
      <ResetSignInDialog tenantId={tenantId} user={resetting} onClose={() => setResetting(null)} />
      {canCreate ? <CreateUserDialog tenantId={tenantId} open={search.new === true} onOpenChange={setOpen} /> : null}
    </>
  );
}

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Download, ScrollText } from 'lucide-react';
import { useState } from 'react';
import { type AuditQuery, auditCsvUrl, auditQuery } from '@/api/audit';
import { usersQuery } from '@/api/users';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { dateTime } from '@/lib/format';

// Suggestions only: the server validates the action name and the list grows with features.
const knownActions = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'tenant.create',
  'tenant.update',
  'tenant.delete',
  'user.create',
  'user.update',
  'user.delete',
  'api_key.create',
  'api_key.revoke',
];
const ACTION = /^[a-z][a-z0-9_.]{1,99}$/;

type Filters = { action: string; user: string; from: string; to: string };

/** The API's query for these filters; dates are whole local days. */
function query(f: Filters) {
  const q: AuditQuery = {};
  if (ACTION.test(f.action)) q.action = f.action;
  if (f.user) q.user_id = f.user;
  if (f.from) q.from = new Date(`${f.from}T00:00:00`).toISOString();
  if (f.to) q.to = new Date(`${f.to}T23:59:59.999`).toISOString();
  return q;
}

export function AuditPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="audit.list">
      <Audit tenantId={current.id} />
    </RequirePermission>
  );
}

function Audit({ tenantId }: { tenantId: string }) {
  const [f, setF] = useState<Filters>({ action: '', user: '', from: '', to: '' });
  const q = query(f);
  const users = useQuery(usersQuery(tenantId));
  const log = useInfiniteQuery(auditQuery(tenantId, q));
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const csv = auditCsvUrl(tenantId, q);
  const actionInvalid = f.action !== '' && !ACTION.test(f.action);
  const userOptions = [
    { value: 'all', label: 'Anyone' },
    ...(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.name })),
  ];

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change and sign-in in this organisation, hash-chained so edits are detectable."
        actions={
          <Button asChild>
            <a href={csv} download="audit-log.csv">
              <Download aria-hidden /> Export CSV
            </a>
          </Button>
        }
      />
      <Card>
        <div className="grid gap-3 border-b p-3 sm:grid-cols-4">
          <Field id="f-action" label="Action" error={actionInvalid ? 'lowercase, like user.create' : undefined}>
            <Input
              id="f-action"
              data-page-search
              list="audit-actions"
              placeholder="Any action"
              value={f.action}
              aria-invalid={actionInvalid || undefined}
              onChange={(e) => setF({ ...f, action: e.target.value.trim() })}
            />
            <datalist id="audit-actions">
              {knownActions.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </Field>
          <Field id="f-user" label="User">
            <Select
              id="f-user"
              value={f.user || 'all'}
              onValueChange={(v) => setF({ ...f, user: v === 'all' ? '' : v })}
              options={userOptions}
            />
          </Field>
          <Field id="f-from" label="From">
            <Input id="f-from" type="date" value={f.from} onChange={(e) => setF({ ...f, from: e.target.value })} />
          </Field>
          <Field id="f-to" label="To">
            <Input id="f-to" type="date" value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} />
          </Field>
        </div>
        {log.isPending ? (
          <TableSkeleton cols={4} />
        ) : rows.length === 0 ? (
          <EmptyState icon={ScrollText} title="Nothing recorded for these filters">
            Widen the dates or clear the action and user filters.
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th className="w-44">Time</Th>
                <Th>Action</Th>
                <Th>Who</Th>
                <Th>Target</Th>
                <Th>IP</Th>
              </tr>
            </THead>
            <TBody>
              {rows.map((r) => (
                <tr key={r.seq} data-action={r.action}>
                  <Td className="whitespace-nowrap text-muted-foreground tabular-nums">{dateTime(r.created_at)}</Td>
                  <Td>
                    <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{r.action}</code>
                  </Td>
                  <Td>{r.actor_label ?? r.actor_type}</Td>
                  <Td className="text-muted-foreground">{r.target_type ? `${r.target_type}` : '—'}</Td>
                  <Td className="font-mono text-xs text-muted-foreground">{r.ip ?? '—'}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
        {log.hasNextPage ? (
          <div className="border-t p-2 text-center">
            <Button variant="ghost" size="sm" disabled={log.isFetchingNextPage} onClick={() => log.fetchNextPage()}>
              Load older entries
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}

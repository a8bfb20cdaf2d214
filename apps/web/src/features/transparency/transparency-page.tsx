import { useInfiniteQuery } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import { useState } from 'react';
import { type KeyAccess, type TransparencyQuery, transparencyQuery } from '@/api/transparency';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { dateTime } from '@/lib/format';

// The key-access log: every use of the organisation's data keys — who or what, which key, which secret, why.

const who = [
  { value: 'all', label: 'Anyone' },
  { value: 'user', label: 'People' },
  { value: 'api_key', label: 'API keys' },
  { value: 'poller', label: 'The poller' },
  { value: 'worker', label: 'Workers' },
  { value: 'system', label: 'TOD itself' },
];
const ops: { value: KeyAccess['op'] | 'all'; label: string }[] = [
  { value: 'all', label: 'Any use' },
  { value: 'decrypt', label: 'Decrypt' },
  { value: 'encrypt', label: 'Encrypt' },
  { value: 'unwrap', label: 'Unwrap (key provider)' },
  { value: 'generate', label: 'New key' },
  { value: 'rotate', label: 'Rotate' },
  { value: 'rewrap', label: 'Rewrap' },
];
const opLabel = Object.fromEntries(ops.map((o) => [o.value, o.label]));
const KEY = /^(?:[a-z][a-z0-9_-]{0,39}(?::v?\d{1,9})?|v?\d{1,9})$/;

type Filters = { who: string; op: string; key: string; object: string; from: string; to: string };

/** The API's query for these filters; dates are whole local days. */
function query(f: Filters) {
  const q: TransparencyQuery = {};
  if (f.who !== 'all') q.actor = f.who;
  if (f.op !== 'all') q.op = f.op as KeyAccess['op'];
  if (KEY.test(f.key)) q.key = f.key;
  if (f.object) q.object = f.object;
  if (f.from) q.from = new Date(`${f.from}T00:00:00`).toISOString();
  if (f.to) q.to = new Date(`${f.to}T23:59:59.999`).toISOString();
  return q;
}

export function TransparencyPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="transparency.read">
      <Transparency tenantId={current.id} />
    </RequirePermission>
  );
}

function Transparency({ tenantId }: { tenantId: string }) {
  const [f, setF] = useState<Filters>({ who: 'all', op: 'all', key: '', object: '', from: '', to: '' });
  const log = useInfiniteQuery(transparencyQuery(tenantId, query(f)));
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const keyInvalid = f.key !== '' && !KEY.test(f.key);

  return (
    <>
      <PageHeader
        title="Transparency"
        description="Every use of this organisation's encryption keys: who or what opened which secret, with which key, and why."
      />
      <Card>
        <div className="grid gap-3 border-b p-3 sm:grid-cols-3 lg:grid-cols-6">
          <Field id="t-who" label="Who">
            <Select id="t-who" value={f.who} onValueChange={(v) => setF({ ...f, who: v })} options={who} />
          </Field>
          <Field id="t-op" label="Use">
            <Select id="t-op" value={f.op} onValueChange={(v) => setF({ ...f, op: v })} options={ops} />
          </Field>
          <Field id="t-key" label="Key" error={keyInvalid ? 'like transit:v2, local or v3' : undefined}>
            <Input
              id="t-key"
              placeholder="Any key"
              value={f.key}
              aria-invalid={keyInvalid || undefined}
              onChange={(e) => setF({ ...f, key: e.target.value.trim() })}
            />
          </Field>
          <Field id="t-object" label="Secret">
            <Input
              id="t-object"
              data-page-search
              placeholder="device:…, config:…"
              value={f.object}
              onChange={(e) => setF({ ...f, object: e.target.value.trim() })}
            />
          </Field>
          <Field id="t-from" label="From">
            <Input id="t-from" type="date" value={f.from} onChange={(e) => setF({ ...f, from: e.target.value })} />
          </Field>
          <Field id="t-to" label="To">
            <Input id="t-to" type="date" value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} />
          </Field>
        </div>
        {log.isPending ? (
          <TableSkeleton cols={6} />
        ) : rows.length === 0 ? (
          <EmptyState icon={KeyRound} title="No key use for these filters">
            Widen the dates or clear the filters. Uses appear here within seconds.
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th className="w-44">When</Th>
                <Th>Who</Th>
                <Th>Use</Th>
                <Th>Secret</Th>
                <Th>Why</Th>
                <Th>Key</Th>
                <Th className="text-right">Times</Th>
              </tr>
            </THead>
            <TBody>
              {rows.map((r) => (
                <tr key={r.id} data-op={r.op} data-actor={r.actor_kind} data-object={r.object}>
                  <Td className="whitespace-nowrap text-muted-foreground tabular-nums">{dateTime(r.last_at)}</Td>
                  <Td>
                    <span className="mr-1.5">{r.actor_label}</span>
                    <Badge>{who.find((w) => w.value === r.actor_kind)?.label ?? r.actor_kind}</Badge>
                  </Td>
                  <Td>{opLabel[r.op] ?? r.op}</Td>
                  <Td>
                    <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs break-all">{r.object}</code>
                  </Td>
                  <Td>{r.purpose}</Td>
                  <Td className="font-mono text-xs">{r.key}</Td>
                  <Td className="text-right tabular-nums">{r.count}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
        {log.hasNextPage ? (
          <div className="border-t p-2 text-center">
            <Button variant="ghost" size="sm" disabled={log.isFetchingNextPage} onClick={() => log.fetchNextPage()}>
              Load older uses
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}

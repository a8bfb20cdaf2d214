import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Plus, Radar, Router as RouterIcon, Search, Upload } from 'lucide-react';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { type DeviceListParams, devicesQuery } from '@/api/devices';
import { inventoryQuery } from '@/api/inventory';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { TableSkeleton } from '@/components/ui/skeleton';
import { prefs } from '@/lib/storage';
import { useFleetStream } from '../fleet/live';
import { BulkActions } from './bulk-actions';
import { ColumnChooser } from './column-chooser';
import { columns, defaultHidden, type Lookups } from './columns';
import { DeviceTable } from './device-table';

export function DevicesPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return <Devices key={current.id} tenantId={current.id} tenantName={current.name} />;
}

const statusOptions = [
  { value: 'all', label: 'Any status' },
  { value: 'online', label: 'Online' },
  { value: 'degraded', label: 'Degraded' },
  { value: 'offline', label: 'Offline' },
  { value: 'unknown', label: 'Unknown' },
];

function readHidden(): string[] {
  try {
    const v = JSON.parse(prefs.get('device-columns') ?? 'null') as unknown;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  } catch {}
  return defaultHidden;
}

function Devices({ tenantId, tenantName }: { tenantId: string; tenantName: string }) {
  useFleetStream(tenantId);
  const canWrite = useCan('devices.write');
  const canScan = useCan('devices.scan');
  const [q, setQ] = useState('');
  const search = useDeferredValue(q.trim());
  const [status, setStatus] = useState('all');
  const [tag, setTag] = useState('all');
  const [group, setGroup] = useState('all');
  const [site, setSite] = useState('all');
  const [sort, setSort] = useState('name');
  const [hidden, setHidden] = useState(readHidden);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const visible = useMemo(() => columns.filter((c) => !hidden.includes(c.id)), [hidden]);
  const fields = useMemo(() => [...new Set(visible.flatMap((c) => c.fields))], [visible]);
  const params: DeviceListParams = {
    fields,
    sort,
    ...(search ? { search } : {}),
    ...(status !== 'all' ? { status } : {}),
    ...(tag !== 'all' ? { tag_id: tag } : {}),
    ...(group !== 'all' ? { group_id: group } : {}),
    ...(site !== 'all' ? { site_id: site } : {}),
  };
  const list = useQuery({ ...devicesQuery(tenantId, params), placeholderData: keepPreviousData });
  const sites = useQuery(inventoryQuery(tenantId, 'sites'));
  const tags = useQuery(inventoryQuery(tenantId, 'device-tags'));
  const groups = useQuery(inventoryQuery(tenantId, 'device-groups'));
  const lookups = useMemo<Lookups>(
    () => ({
      sites: new Map((sites.data ?? []).map((s) => [s.id, s])),
      tags: new Map((tags.data ?? []).map((s) => [s.id, s])),
    }),
    [sites.data, tags.data],
  );
  const items = list.data?.items ?? [];
  // Selection never outlives the rows it names (a filter or a delete removes them).
  useEffect(() => {
    setSelected((s) => {
      if (!s.size) return s;
      const ids = new Set(items.map((d) => d.id));
      const next = new Set([...s].filter((id) => ids.has(id)));
      return next.size === s.size ? s : next;
    });
  }, [items]);
  const filtered = search || status !== 'all' || tag !== 'all' || group !== 'all' || site !== 'all';
  const catalogFilter = (
    label: string,
    value: string,
    set: (v: string) => void,
    data?: { id: string; name: string }[],
  ) =>
    data?.length ? (
      <Select
        aria-label={`Filter by ${label.toLowerCase()}`}
        value={value}
        onValueChange={set}
        options={[
          { value: 'all', label: `Any ${label.toLowerCase()}` },
          ...data.map((d) => ({ value: d.id, label: d.name })),
        ]}
        className="h-7 w-36"
      />
    ) : null;

  return (
    <>
      <PageHeader
        title="Devices"
        description={`Every router in ${tenantName}.`}
        actions={
          <>
            {canScan ? (
              <Button asChild>
                <Link to="/devices/scan">
                  <Radar aria-hidden /> Scan subnet
                </Link>
              </Button>
            ) : null}
            {canWrite ? (
              <Button asChild>
                <Link to="/devices/import">
                  <Upload aria-hidden /> Import CSV
                </Link>
              </Button>
            ) : null}
            {canWrite ? (
              <Button variant="primary" asChild>
                <Link to="/devices/new">
                  <Plus aria-hidden /> Add device
                </Link>
              </Button>
            ) : null}
          </>
        }
      />
      <Card className="overflow-hidden">
        <div className="flex flex-wrap items-center gap-2 border-b px-3 py-2">
          <Search className="size-4 text-muted-foreground" aria-hidden />
          <Input
            data-page-search
            aria-label="Search devices"
            placeholder="Search by name, host or identity…"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            className="h-7 min-w-40 flex-1 border-0 bg-transparent px-0 shadow-none focus-visible:ring-0"
          />
          <Select
            aria-label="Filter by status"
            value={status}
            onValueChange={setStatus}
            options={statusOptions}
            className="h-7 w-32"
          />
          {catalogFilter('Tag', tag, setTag, tags.data)}
          {catalogFilter('Group', group, setGroup, groups.data)}
          {catalogFilter('Site', site, setSite, sites.data)}
          <ColumnChooser
            hidden={hidden}
            onChange={(h) => {
              prefs.set('device-columns', JSON.stringify(h));
              setHidden(h);
            }}
          />
          {list.data ? (
            <span className="text-xs whitespace-nowrap text-muted-foreground tabular-nums" data-device-count>
              {list.data.total.toLocaleString()} {filtered ? 'matching' : 'total'}
            </span>
          ) : null}
        </div>
        {selected.size > 0 && canWrite ? (
          <BulkActions tenantId={tenantId} ids={[...selected]} onDone={() => setSelected(new Set())} />
        ) : null}
        {list.isPending ? (
          <TableSkeleton cols={6} rows={10} />
        ) : items.length === 0 ? (
          <EmptyState
            icon={RouterIcon}
            title={filtered ? 'No devices match' : 'No devices yet'}
            action={
              !filtered && canWrite ? (
                <Button variant="primary" asChild>
                  <Link to="/devices/new">
                    <Plus aria-hidden /> Add device
                  </Link>
                </Button>
              ) : null
            }
          >
            {filtered
              ? 'Try a different search or clear the filters.'
              : canWrite
                ? 'Add routers one by one, import a CSV, or scan a subnet and adopt what answers.'
                : 'An operator adds routers here; they appear as soon as they do.'}
          </EmptyState>
        ) : (
          <DeviceTable
            items={items}
            columns={visible}
            lookups={lookups}
            sort={sort}
            onSort={setSort}
            selected={selected}
            onSelect={setSelected}
            selectable={canWrite}
          />
        )}
      </Card>
    </>
  );
}

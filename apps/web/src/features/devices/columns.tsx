import type * as React from 'react';
import type { Device } from '@/api/devices';
import type { Entry } from '@/api/inventory';
import { ago } from '@/lib/format';
import { duration, percent } from '../fleet/format';
import { colourOf, num, usedPercent } from '../fleet/model';
import { SimulatedBadge, StatusBadge } from './status';

export type Lookups = { sites: Map<string, Entry>; tags: Map<string, Entry> };

/** One column of the device table: what it fetches (`fields=`), how it sorts on the server, how a cell looks. */
export type Column = {
  id: string;
  label: string;
  fields: string[];
  /** CSS grid track. */
  width: string;
  sort?: string;
  /** Cannot be hidden. */
  fixed?: boolean;
  numeric?: boolean;
  cell: (d: Device, l: Lookups) => React.ReactNode;
};

function Bar({ value }: { value: number | null }) {
  if (value === null) return <span className="text-muted-foreground">—</span>;
  const v = Math.max(0, Math.min(100, value));
  return (
    <span className="flex items-center gap-2">
      <span className="h-1.5 w-12 overflow-hidden rounded-full bg-muted" aria-hidden>
        <span
          className={
            v > 85 ? 'block h-full bg-destructive' : v > 60 ? 'block h-full bg-warning' : 'block h-full bg-success'
          }
          style={{ width: `${v}%` }}
        />
      </span>
      <span className="w-9 text-right tabular-nums">{percent(value)}</span>
    </span>
  );
}

export const columns: Column[] = [
  {
    id: 'status',
    label: 'Status',
    fields: ['status', 'status_reason', 'disabled'],
    width: '110px',
    sort: 'status',
    cell: (d) => <StatusBadge d={d} />,
  },
  {
    id: 'name',
    label: 'Name',
    fields: ['name', 'identity', 'is_demo'],
    width: 'minmax(180px, 2fr)',
    sort: 'name',
    fixed: true,
    cell: (d) => (
      <span className="flex min-w-0 items-center gap-2">
        <span className="truncate font-medium">{d.name}</span>
        {d.is_demo ? <SimulatedBadge /> : null}
      </span>
    ),
  },
  {
    id: 'host',
    label: 'Host',
    fields: ['host'],
    width: 'minmax(120px, 1fr)',
    sort: 'host',
    cell: (d) => <span className="truncate font-mono text-xs">{d.host}</span>,
  },
  {
    id: 'model',
    label: 'Model',
    fields: ['model'],
    width: 'minmax(110px, 1fr)',
    sort: 'model',
    cell: (d) => <span className="truncate">{d.model ?? '—'}</span>,
  },
  {
    id: 'version',
    label: 'Version',
    fields: ['version'],
    width: '90px',
    sort: 'version',
    cell: (d) => <span className="truncate tabular-nums">{d.version ?? '—'}</span>,
  },
  {
    id: 'uptime',
    label: 'Uptime',
    fields: ['uptime_seconds'],
    width: '80px',
    sort: 'uptime_seconds',
    numeric: true,
    cell: (d) => <span className="tabular-nums">{duration(num(d.uptime_seconds))}</span>,
  },
  {
    id: 'cpu',
    label: 'CPU',
    fields: ['cpu_load'],
    width: '110px',
    sort: 'cpu_load',
    cell: (d) => <Bar value={num(d.cpu_load)} />,
  },
  {
    id: 'memory',
    label: 'Memory',
    fields: ['memory_total', 'memory_free'],
    width: '110px',
    cell: (d) => <Bar value={usedPercent(d.memory_total, d.memory_free)} />,
  },
  {
    id: 'site',
    label: 'Site',
    fields: ['site_id'],
    width: 'minmax(90px, 1fr)',
    cell: (d, l) => <span className="truncate">{(d.site_id && l.sites.get(d.site_id)?.name) ?? '—'}</span>,
  },
  {
    id: 'tags',
    label: 'Tags',
    fields: ['tag_ids'],
    width: 'minmax(90px, 1fr)',
    cell: (d, l) => (
      <span className="flex min-w-0 gap-1 overflow-hidden">
        {(d.tag_ids ?? []).map((id) => (
          <span
            key={id}
            className="inline-flex min-w-0 items-center gap-1 rounded bg-muted px-1.5 text-xs text-muted-foreground"
          >
            {colourOf(l.tags.get(id)) ? (
              <span
                aria-hidden
                className="size-1.5 shrink-0 rounded-full"
                style={{ backgroundColor: colourOf(l.tags.get(id)) }}
              />
            ) : null}
            <span className="truncate">{l.tags.get(id)?.name ?? '…'}</span>
          </span>
        ))}
      </span>
    ),
  },
  {
    id: 'last_seen',
    label: 'Last seen',
    fields: ['last_seen_at'],
    width: '110px',
    sort: 'last_seen_at',
    cell: (d) => <span className="truncate text-muted-foreground">{ago(d.last_seen_at)}</span>,
  },
];

export const defaultHidden = ['site'];

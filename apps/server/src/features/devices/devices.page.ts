import { COUNT_CAP } from '../../platform/http/cursor.js';
import type { DeviceFilter } from './devices.repo.js';

// The SQL of a device list page (devices.repo): filters, the sort key's index walk (keyset or offset), and the
// total. A page reads the sort key's index (migration 070) and stops after `limit` rows; the caller reads the full
// columns of those rows only.

/** How each sortable field orders: never null (a missing value sorts lowest), matching its index in migration 070. */
const sortKeys: Record<string, { expr: string; type: string }> = {
  name: { expr: 'lower(d.name)', type: 'text' },
  host: { expr: 'lower(d.host)', type: 'text' },
  status: { expr: 'd.status', type: 'text' },
  model: { expr: "coalesce(d.model, '')", type: 'text' },
  version: { expr: "coalesce(d.version, '')", type: 'text' },
  cpu_load: { expr: 'coalesce(d.cpu_load, -1)', type: 'int' },
  uptime_seconds: { expr: 'coalesce(d.uptime_seconds, -1)', type: 'bigint' },
  last_seen_at: { expr: "coalesce(d.last_seen_at, '-infinity')", type: 'timestamptz' },
  created_at: { expr: 'd.created_at', type: 'timestamptz' },
};
export const sortableDeviceFields = Object.keys(sortKeys);

/**
 * The `page` CTE (id, k: the sort key as text, v: the row version, rn: the row's place) and a `total` expression
 * for the same statement: the maintained tallies when at most a status filter applies, else a count that stops past
 * COUNT_CAP.
 */
export function pageQuery(f: DeviceFilter) {
  const where: string[] = [];
  const args: unknown[] = [];
  let found: string | undefined;
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  if (f.search) {
    const like = `%${f.search.replace(/[%_\\]/g, '\\$&')}%`;
    // Under row-level security no index serves ILIKE (not leakproof): device_search (migration 073) matches through
    // the trigram index and returns the organisation's ids only, once for the page and its count. The page reads
    // those devices by id.
    found = `found as materialized (select device_search(${arg(like)}) as id)`;
  }
  const statusArg = f.status?.length ? arg(f.status) : undefined;
  if (statusArg) where.push(`d.status = any(${statusArg})`);
  if (f.tag_id)
    where.push(`exists (select 1 from device_tag_links l where l.device_id = d.id and l.tag_id = ${arg(f.tag_id)})`);
  if (f.group_id)
    where.push(
      `exists (select 1 from device_group_members m where m.device_id = d.id and m.group_id = ${arg(f.group_id)})`,
    );
  if (f.site_id) where.push(`d.site_id = ${arg(f.site_id)}`);
  if (f.model) where.push(`d.model = ${arg(f.model)}`);
  if (f.version) where.push(`d.version = ${arg(f.version)}`);
  // Matches are read one by one through the primary key (`offset 0` keeps the lateral a loop): joined as a set,
  // PostgreSQL hashed them against a scan of every device of the organisation.
  const from = found
    ? 'found f cross join lateral (select d.*, d.xmin as row_v from devices d where d.id = f.id offset 0) d'
    : 'devices d';
  const onlyStatus = !f.search && !f.tag_id && !f.group_id && !f.site_id && !f.model && !f.version;
  const total = onlyStatus
    ? `(select coalesce(sum(n), 0)::int from device_tallies where dim = 'status'${statusArg ? ` and val = any(${statusArg})` : ''})`
    : `(select count(*)::int from (select 1 from ${from} ${where.length ? `where ${where.join(' and ')}` : ''} limit ${COUNT_CAP + 1}) c)`;

  const desc = f.sort.startsWith('-');
  const key = sortKeys[f.sort.replace(/^-/, '')]!;
  const dir = desc ? 'desc' : 'asc';
  if (f.cursor)
    where.push(`(${key.expr}, d.id) ${desc ? '<' : '>'} (${arg(f.cursor.k)}::${key.type}, ${arg(f.cursor.id)}::uuid)`);
  const page = `with ${found ? `${found}, ` : ''}page as materialized (
      select d.id, ${key.expr}::text as k, ${found ? 'd.row_v' : 'd.xmin'}::text as v, row_number() over (order by ${key.expr} ${dir}, d.id ${dir}) as rn
        from ${from} ${where.length ? `where ${where.join(' and ')}` : ''}
       order by ${key.expr} ${dir}, d.id ${dir} limit ${arg(f.limit)} offset ${arg(f.cursor ? 0 : f.offset)})`;
  return { page, total, args };
}

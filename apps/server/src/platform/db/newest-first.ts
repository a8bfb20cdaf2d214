import type { QueryResultRow } from 'pg';
import type { Db } from './tx.js';

// One page of a table newest first, by (created_at, id): after a keyset cursor (the previous page's last
// created_at as PostgreSQL's text, to the microsecond, and its id) or at an offset. The total is counted apart
// and stops past `countCap`: a window count over every row was a scan per page.

export type NewestFirstPage = { limit: number; offset: number; after?: { k: string; id: string }; countCap: number };

export type NewestFirstQuery = {
  /** Columns to select (qualified by `alias` where the table has one). */
  select: string;
  /** `table` or `table alias`. */
  from: string;
  alias?: string;
  /** A condition on `$1…$n` of `args`. */
  where: string;
  args: unknown[];
};

export async function newestFirst<T extends QueryResultRow>(
  db: Db,
  q: NewestFirstQuery,
  p: NewestFirstPage,
): Promise<{ rows: Array<T & { cursor_k: string }>; total: number }> {
  const col = (c: string) => (q.alias ? `${q.alias}.${c}` : c);
  const n = q.args.length;
  const [rows, total] = await Promise.all([
    db.query<T & { cursor_k: string }>(
      `select ${q.select}, ${col('created_at')}::text as cursor_k from ${q.from}
        where (${q.where}) and ($${n + 3}::timestamptz is null
          or (${col('created_at')}, ${col('id')}) < ($${n + 3}::timestamptz, $${n + 4}::uuid))
        order by ${col('created_at')} desc, ${col('id')} desc limit $${n + 1} offset $${n + 2}`,
      [...q.args, p.limit, p.after ? 0 : p.offset, p.after?.k ?? null, p.after?.id ?? null],
    ),
    db.query<{ n: number }>(
      `select count(*)::int as n from (select 1 from ${q.from} where (${q.where}) limit ${p.countCap + 1}) c`,
      q.args,
    ),
  ]);
  return { rows: rows.rows, total: total.rows[0]!.n };
}

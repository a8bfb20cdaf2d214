import type { Db } from '../../platform/db/tx.js';

// device_tallies (migration 070): per-organisation counts of devices by status, version, model and "update
// available", kept by triggers as deltas. Reading sums them; compacting folds each (dim, val) into one row.

export type TallyRow = { dim: string; val: string; n: number };
export type Tallies = Map<string, Map<string, number>>;

/** The dashboard's tallies of the current organisation (RLS scopes them), zero counts left out. */
export const dashboardTalliesSql = `select dim, val, sum(n)::int as n from device_tallies
  where dim in ('live', 'version', 'model', 'update') group by dim, val having sum(n) <> 0`;

/** dim → val → count. */
export function talliesOf(rows: TallyRow[]): Tallies {
  const out: Tallies = new Map();
  for (const { dim, val, n } of rows) {
    const m = out.get(dim) ?? new Map<string, number>();
    out.set(dim, m.set(val, n));
  }
  return out;
}

/**
 * Folds every organisation's deltas into one row per (dim, val), in one statement: a reader sees either the deltas
 * or their sum, and deltas a trigger adds meanwhile are not in this statement's snapshot, so they stay. System role.
 */
export async function compactTallies(db: Db): Promise<number> {
  const r = await db.query(
    `with dup as (
       select tenant_id, dim, val from device_tallies group by 1, 2, 3 having count(*) > 1 or sum(n) = 0),
     gone as (
       delete from device_tallies t using dup
        where t.tenant_id = dup.tenant_id and t.dim = dup.dim and t.val = dup.val
       returning t.tenant_id, t.dim, t.val, t.n)
     insert into device_tallies (tenant_id, dim, val, n)
     select tenant_id, dim, val, sum(n) from gone group by 1, 2, 3 having sum(n) <> 0`,
  );
  return r.rowCount ?? 0;
}

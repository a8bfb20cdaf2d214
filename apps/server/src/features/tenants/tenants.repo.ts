import type { Db } from '../../platform/db/tx.js';

export type TenantRow = { id: string; name: string; description: string; created_at: Date; updated_at: Date };
const cols = 'id, name, description, created_at, updated_at';

export const tenantsRepo = {
  async list(db: Db, limit: number, offset: number) {
    const r = await db.query<TenantRow & { total: string }>(
      `select ${cols}, count(*) over () as total from tenants order by lower(name) limit $1 offset $2`,
      [limit, offset],
    );
    return { rows: r.rows, total: Number(r.rows[0]?.total ?? 0) };
  },
  async get(db: Db, id: string) {
    return (await db.query<TenantRow>(`select ${cols} from tenants where id = $1`, [id])).rows[0];
  },
  async exists(db: Db, id: string) {
    return ((await db.query('select 1 from tenants where id = $1', [id])).rowCount ?? 0) > 0;
  },
  async insert(db: Db, t: { name: string; description: string }) {
    const r = await db.query<TenantRow>(`insert into tenants (name, description) values ($1, $2) returning ${cols}`, [
      t.name,
      t.description,
    ]);
    return r.rows[0]!;
  },
  async update(db: Db, id: string, t: { name?: string; description?: string }) {
    const r = await db.query<TenantRow>(
      `update tenants set name = coalesce($2, name), description = coalesce($3, description)
        where id = $1 returning ${cols}`,
      [id, t.name ?? null, t.description ?? null],
    );
    return r.rows[0];
  },
  async delete(db: Db, id: string) {
    // Devices first, then the rest by cascade: ingest locks device rows before the rows that reference the tenant
    // (alert states, events), so taking the same order here leaves no lock cycle with a batch in flight.
    await db.query('delete from devices where tenant_id = $1', [id]);
    return ((await db.query('delete from tenants where id = $1', [id])).rowCount ?? 0) > 0;
  },
};

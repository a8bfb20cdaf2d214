import type { Db } from '../../platform/db/tx.js';
import type { CatalogBody, CatalogDef } from './catalog.schema.js';

/** A catalog entry as stored, with the number of devices that use it. */
export type CatalogRow = Record<string, unknown> & { id: string; name: string };

/** The SQL of one catalog table (sites, device_groups or device_tags), built once from its definition. */
export function catalogRepo(def: CatalogDef) {
  const fieldNames = Object.keys(def.fields);
  const cols = ['id', 'name', ...fieldNames, 'created_at', 'updated_at'];
  const selectCols = `${cols.join(', ')}, (${def.usageSql.replaceAll('$1', `${def.table}.id`)})::int as device_count`;
  const select = `select ${selectCols} from ${def.table}`;
  /** The columns a body sets, in a fixed order. */
  const keysOf = (body: CatalogBody) => ['name', ...fieldNames].filter((k) => body[k] !== undefined);

  return {
    async list(db: Db, q: { limit: number; offset: number; search?: string }) {
      const r = await db.query<CatalogRow & { total: string }>(
        `select ${selectCols}, count(*) over () as total from ${def.table}
              where ($3::text is null or name ilike '%' || $3 || '%') order by lower(name) limit $1 offset $2`,
        [q.limit, q.offset, q.search?.replace(/[%_\\]/g, '\\$&') ?? null],
      );
      const total = Number(r.rows[0]?.total ?? 0);
      return { rows: r.rows.map(({ total: _t, ...row }) => row as CatalogRow), total };
    },

    async get(db: Db, id: string) {
      return (await db.query<CatalogRow>(`${select} where id = $1`, [id])).rows[0];
    },

    /** Returns the new entry's id. */
    async insert(db: Db, tenantId: string, body: CatalogBody) {
      const keys = keysOf(body);
      const r = await db.query<{ id: string }>(
        `insert into ${def.table} (tenant_id, ${keys.join(', ')}) values ($1, ${keys.map((_, i) => `$${i + 2}`).join(', ')}) returning id`,
        [tenantId, ...keys.map((k) => body[k])],
      );
      return r.rows[0]!.id;
    },

    /** False when there is no such entry. */
    async update(db: Db, id: string, body: CatalogBody) {
      const keys = keysOf(body);
      const r = await db.query(
        `update ${def.table} set ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} where id = $1`,
        [id, ...keys.map((k) => body[k])],
      );
      return (r.rowCount ?? 0) > 0;
    },

    /** Lower-cased name → id of the entries named, creating the missing ones (a CSV import names, not ids). */
    async idsByName(db: Db, tenantId: string, names: string[]) {
      const map = new Map<string, string>();
      if (!names.length) return map;
      await db.query(
        `insert into ${def.table} (tenant_id, name) select $1, n from unnest($2::text[]) n
          where not exists (select 1 from ${def.table} t where lower(t.name) = lower(n)) on conflict do nothing`,
        [tenantId, [...new Set(names)]],
      );
      const r = await db.query<{ id: string; name: string }>(
        `select id, name from ${def.table} where lower(name) = any($1)`,
        [names.map((n) => n.toLowerCase())],
      );
      for (const x of r.rows) map.set(x.name.toLowerCase(), x.id);
      return map;
    },

    /** The deleted entry's name, or undefined when there was none. */
    async delete(db: Db, id: string) {
      const r = await db.query<{ name: string }>(`delete from ${def.table} where id = $1 returning name`, [id]);
      return r.rows[0]?.name;
    },
  };
}

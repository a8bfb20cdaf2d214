import type { Db } from '../../../platform/db/tx.js';

// Which devices a report covers, read under the tenant (RLS): every device, a site's, or one. Read-only; the devices
// and sites tables belong to their features.

export type ScopeDevice = {
  id: string;
  name: string;
  host: string;
  site_id: string | null;
  site_name: string | null;
  disabled: boolean;
  status: string;
  model: string | null;
  version: string | null;
};

export type Scope = { siteId: string | null; deviceId: string | null };

export const scopeQueries = {
  async siteName(db: Db, id: string): Promise<string | undefined> {
    return (await db.query<{ name: string }>('select name from sites where id = $1', [id])).rows[0]?.name;
  },

  async devices(db: Db, s: Scope): Promise<ScopeDevice[]> {
    const r = await db.query<ScopeDevice>(
      `select d.id, d.name, d.host, d.site_id, s.name as site_name, d.disabled, d.status, d.model, d.version
         from devices d left join sites s on s.id = d.site_id
        where ($1::uuid is null or d.site_id = $1) and ($2::uuid is null or d.id = $2)
        order by lower(d.name), d.id`,
      [s.siteId, s.deviceId],
    );
    return r.rows;
  },
};

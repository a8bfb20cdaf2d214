import type { Db } from '../../platform/db/tx.js';

export type ChannelKind = 'email' | 'webhook' | 'slack' | 'teams';
export type ChannelRow = {
  id: string;
  tenant_id: string;
  name: string;
  kind: ChannelKind;
  config_public: Record<string, unknown>;
  config_sealed: Buffer;
  severities: string[];
  template: string | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
};
export type ChannelStats = { last_sent_at: Date | null; last_error: string | null; failed_24h: number };

export const channelsRepo = {
  async list(db: Db): Promise<Array<ChannelRow & ChannelStats>> {
    const r = await db.query(
      `select c.*,
              (select max(sent_at) from notification_deliveries d where d.channel_id = c.id) as last_sent_at,
              (select last_error from notification_deliveries d where d.channel_id = c.id and d.state = 'failed'
                order by created_at desc limit 1) as last_error,
              (select count(*)::int from notification_deliveries d where d.channel_id = c.id and d.state = 'failed'
                  and d.created_at > now() - interval '1 day') as failed_24h
         from notification_channels c order by lower(c.name)`,
    );
    return r.rows;
  },

  async get(db: Db, id: string): Promise<ChannelRow | undefined> {
    return (await db.query<ChannelRow>('select * from notification_channels where id = $1', [id])).rows[0];
  },

  async insert(
    db: Db,
    row: Pick<
      ChannelRow,
      'id' | 'tenant_id' | 'name' | 'kind' | 'config_public' | 'config_sealed' | 'severities' | 'template' | 'enabled'
    >,
  ): Promise<void> {
    await db.query(
      `insert into notification_channels (id, tenant_id, name, kind, config_public, config_sealed, severities, template, enabled)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.id,
        row.tenant_id,
        row.name,
        row.kind,
        row.config_public,
        row.config_sealed,
        row.severities,
        row.template,
        row.enabled,
      ],
    );
  },

  async update(
    db: Db,
    id: string,
    set: Partial<Pick<ChannelRow, 'name' | 'config_public' | 'config_sealed' | 'severities' | 'template' | 'enabled'>>,
  ): Promise<boolean> {
    const keys = Object.keys(set).filter((k) => set[k as keyof typeof set] !== undefined);
    const r = await db.query(
      `update notification_channels set ${[...keys.map((k, i) => `${k} = $${i + 2}`), 'updated_at = now()'].join(', ')} where id = $1`,
      [id, ...keys.map((k) => set[k as keyof typeof set])],
    );
    return r.rowCount === 1;
  },

  async remove(db: Db, id: string): Promise<boolean> {
    return (await db.query('delete from notification_channels where id = $1', [id])).rowCount === 1;
  },

  async existing(db: Db, ids: readonly string[]): Promise<string[]> {
    const r = await db.query<{ id: string }>('select id from notification_channels where id = any($1::uuid[])', [ids]);
    return r.rows.map((x) => x.id);
  },
};

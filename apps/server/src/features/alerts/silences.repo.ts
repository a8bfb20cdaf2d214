import type { Db } from '../../platform/db/tx.js';

export const silencesRepo = {
  /** Devices silenced now, among these. */
  async activeFor(db: Db, deviceIds: readonly string[]): Promise<Set<string>> {
    const r = await db.query<{ device_id: string }>(
      'select distinct device_id from alert_silences where device_id = any($1::uuid[]) and until > now()',
      [deviceIds],
    );
    return new Set(r.rows.map((x) => x.device_id));
  },

  async list(db: Db) {
    const r = await db.query(
      `select s.id, s.device_id, coalesce(d.name, '') as device_name, s.until, s.note, s.created_by, s.created_at
         from alert_silences s left join devices d on d.id = s.device_id
        where s.until > now() order by s.until`,
    );
    return r.rows;
  },

  async insert(db: Db, row: { tenantId: string; deviceId: string; until: string; note: string; createdBy: object }) {
    const r = await db.query<{ id: string }>(
      `insert into alert_silences (tenant_id, device_id, until, note, created_by) values ($1, $2, $3, $4, $5) returning id`,
      [row.tenantId, row.deviceId, row.until, row.note, JSON.stringify(row.createdBy)],
    );
    return r.rows[0]!.id;
  },

  async remove(db: Db, id: string): Promise<{ device_id: string } | undefined> {
    const r = await db.query('delete from alert_silences where id = $1 returning device_id', [id]);
    return r.rows[0];
  },

  async deleteExpired(db: Db, olderThanDays: number) {
    await db.query(`delete from alert_silences where until < now() - make_interval(days => $1)`, [olderThanDays]);
  },
};

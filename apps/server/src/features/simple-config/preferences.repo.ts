import type { Db } from '../../platform/db/tx.js';

// device_view_preferences (migration 054): each person's Simple or Standard view of a device, under RLS.

export type ViewMode = 'simple' | 'standard';

export const preferencesRepo = {
  async get(db: Db, userId: string, deviceId: string): Promise<{ mode: ViewMode; updated_at: Date } | undefined> {
    const r = await db.query<{ mode: ViewMode; updated_at: Date }>(
      'select mode, updated_at from device_view_preferences where user_id = $1 and device_id = $2',
      [userId, deviceId],
    );
    return r.rows[0];
  },

  async put(db: Db, p: { tenantId: string; userId: string; deviceId: string; mode: ViewMode }) {
    const r = await db.query<{ mode: ViewMode; updated_at: Date }>(
      `insert into device_view_preferences (tenant_id, user_id, device_id, mode) values ($1, $2, $3, $4)
       on conflict (user_id, device_id) do update set mode = excluded.mode, updated_at = now()
       returning mode, updated_at`,
      [p.tenantId, p.userId, p.deviceId, p.mode],
    );
    return r.rows[0] as { mode: ViewMode; updated_at: Date };
  },
};

import type { Db } from '../../platform/db/tx.js';

// Statements on the `devices` table that other features need (metrics, credential profiles). The devices feature
// owns the table, so its SQL lives here rather than in those features.

export const devicesSharedRepo = {
  /** Whether the device exists (RLS makes another tenant's device simply absent). */
  async exists(db: Db, id: string) {
    return ((await db.query('select 1 from devices where id = $1', [id])).rowCount ?? 0) > 0;
  },

  /** Devices using a credential profile log in afresh at their next poll (the poller sees a new config_version). */
  async reconnectByProfile(db: Db, profileId: string) {
    await db.query(
      'update devices set config_version = config_version + 1, updated_at = now() where credential_profile_id = $1',
      [profileId],
    );
  },
};

import type { Db } from '../../../platform/db/tx.js';
import type { StoredCredentials } from '../../devices/credentials.js';
import type { Scope } from './scope.queries.js';

// Read-only queries of the compliance report, under the tenant (RLS).

export type DriftRow = {
  template: string;
  device_id: string;
  drift: 'unknown' | 'in_sync' | 'drifted' | 'error';
  checked_at: Date | null;
  commands: number | null;
  error: string | null;
};

export const complianceQueries = {
  /**
   * The stored (still encrypted) credentials of every device in scope in one read: the columns
   * devicesRepo.accessTarget gives one device at a time, for devices/credentials.ts to open.
   */
  async credentials(db: Db, s: Scope): Promise<StoredCredentials[]> {
    const r = await db.query<StoredCredentials>(
      `select d.tenant_id, d.id as device_id, d.username, d.password_enc, p.id as profile_id,
              p.username as profile_username, p.password_enc as profile_password_enc
         from devices d left join credential_profiles p on p.id = d.credential_profile_id
        where ($1::uuid is null or d.site_id = $1) and ($2::uuid is null or d.id = $2)`,
      [s.siteId, s.deviceId],
    );
    return r.rows;
  },

  /**
   * Template assignments of the devices in scope with the drift the templates feature stored: it re-plans each
   * assignment against the device's backup after every new backup version (templates/drift.ts), so this is the
   * comparison against the same latest backup the rest of the report reads.
   */
  async drift(db: Db, s: Scope): Promise<DriftRow[]> {
    const r = await db.query<DriftRow>(
      `select t.name as template, a.device_id, a.drift, a.drift_checked_at as checked_at, a.drift_commands as commands,
              a.drift_error as error
         from template_assignments a join config_templates t on t.id = a.template_id
         join devices d on d.id = a.device_id
        where ($1::uuid is null or d.site_id = $1) and ($2::uuid is null or d.id = $2)
        order by lower(d.name), lower(t.name)`,
      [s.siteId, s.deviceId],
    );
    return r.rows;
  },
};

import type { Db } from '../../platform/db/tx.js';

// config_settings (one row per organisation: schedule, retention, git remote) and config_device_schedules.

export type Schedule = { cron: string; timezone: string; enabled: boolean };

export type SettingsRow = Schedule & {
  tenant_id: string;
  retention_versions: number | null;
  retention_days: number | null;
  git_remote_url: Buffer | null;
  git_remote_branch: string;
  git_ssh_key: Buffer | null;
  git_known_hosts: string | null;
  git_pushed_sha: string | null;
  git_push_error: string | null;
  git_pushed_at: Date | null;
};

export const DEFAULT_SCHEDULE: Schedule = { cron: '0 2 * * *', timezone: 'UTC', enabled: true };

export const settingsRepo = {
  async get(db: Db): Promise<SettingsRow | undefined> {
    const r = await db.query<SettingsRow>('select * from config_settings');
    return r.rows[0];
  },

  async upsert(db: Db, tenantId: string, patch: Partial<Omit<SettingsRow, 'tenant_id'>>): Promise<SettingsRow> {
    const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
    const cols = keys.map((k) => `"${k}"`);
    const vals = keys.map((k) => (patch as Record<string, unknown>)[k]);
    const r = await db.query<SettingsRow>(
      `insert into config_settings (tenant_id${cols.map((c) => `, ${c}`).join('')})
       values ($1${keys.map((_, i) => `, $${i + 2}`).join('')})
       on conflict (tenant_id) do update set updated_at = now()${cols.map((c) => `, ${c} = excluded.${c}`).join('')}
       returning *`,
      [tenantId, ...vals],
    );
    return r.rows[0]!;
  },

  async deviceSchedule(db: Db, deviceId: string): Promise<Schedule | undefined> {
    const r = await db.query<Schedule>(
      'select cron, timezone, enabled from config_device_schedules where device_id = $1',
      [deviceId],
    );
    return r.rows[0];
  },

  async setDeviceSchedule(db: Db, tenantId: string, deviceId: string, s: Schedule | null): Promise<void> {
    if (s === null) {
      await db.query('delete from config_device_schedules where device_id = $1', [deviceId]);
      return;
    }
    await db.query(
      `insert into config_device_schedules (device_id, tenant_id, cron, timezone, enabled) values ($1, $2, $3, $4, $5)
       on conflict (device_id) do update set cron = excluded.cron, timezone = excluded.timezone,
         enabled = excluded.enabled, updated_at = now()`,
      [deviceId, tenantId, s.cron, s.timezone, s.enabled],
    );
  },

  /** Organisations with a retention policy (the hourly prune; across tenants: the system pool). */
  async withRetention(
    system: Db,
  ): Promise<Array<{ tenant_id: string; retention_versions: number | null; retention_days: number | null }>> {
    const r = await system.query(
      `select tenant_id, retention_versions, retention_days from config_settings
        where retention_versions is not null or retention_days is not null`,
    );
    return r.rows;
  },

  /** Organisations with a git remote (the push schedule; across tenants: the system pool). */
  async withRemote(system: Db): Promise<string[]> {
    const r = await system.query<{ tenant_id: string }>(
      'select tenant_id from config_settings where git_remote_url is not null',
    );
    return r.rows.map((x) => x.tenant_id);
  },
};

import type { Db } from '../../platform/db/tx.js';
import type { Trigger } from './versions.repo.js';

// What the git mirror reads and records: versions not mirrored yet (with their text and device), each device's file
// in the mirror, and the organisation's remote and last push (config_versions, config_device_state, config_settings).

export type PendingVersion = {
  version_id: string;
  device_id: string;
  device_name: string;
  sha256: string;
  normalized: Buffer;
  created_at: Date;
  trigger: Trigger;
  checkpoint_name: string | null;
  changed_by: string | null;
  actor_label: string | null;
  changes: number | null;
  git_path: string | null;
};

export const mirrorRepo = {
  async pending(db: Db, limit: number): Promise<PendingVersion[]> {
    const r = await db.query<PendingVersion>(
      `select v.id as version_id, v.device_id, d.name as device_name, v.sha256, c.normalized, v.created_at, v.trigger,
              v.checkpoint_name, v.changed_by, v.actor_label, v.changes, s.git_path
         from config_versions v
         join config_contents c on c.device_id = v.device_id and c.sha256 = v.sha256
         join devices d on d.id = v.device_id
         left join config_device_state s on s.device_id = v.device_id
        where v.git_sha is null order by v.created_at, v.id limit $1`,
      [limit],
    );
    return r.rows;
  },

  async markMirrored(db: Db, rows: Array<{ id: string; sha: string }>): Promise<void> {
    await db.query(
      `update config_versions v set git_sha = x.sha from unnest($1::uuid[], $2::text[]) as x(id, sha) where v.id = x.id`,
      [rows.map((r) => r.id), rows.map((r) => r.sha)],
    );
  },

  async setPath(db: Db, deviceId: string, path: string): Promise<void> {
    await db.query('update config_device_state set git_path = $2 where device_id = $1', [deviceId, path]);
  },

  async remote(db: Db) {
    const r = await db.query<{
      git_remote_url: Buffer | null;
      git_remote_branch: string;
      git_ssh_key: Buffer | null;
      git_known_hosts: string | null;
      git_pushed_sha: string | null;
    }>('select git_remote_url, git_remote_branch, git_ssh_key, git_known_hosts, git_pushed_sha from config_settings');
    return r.rows[0];
  },

  async pushed(db: Db, tenantId: string, sha: string, knownHosts: string | null): Promise<void> {
    await db.query(
      `update config_settings set git_pushed_sha = $2, git_pushed_at = now(), git_push_error = null,
              git_known_hosts = coalesce(git_known_hosts, $3) where tenant_id = $1`,
      [tenantId, sha, knownHosts],
    );
  },

  async pushFailed(db: Db, tenantId: string, error: string): Promise<void> {
    await db.query('update config_settings set git_push_error = $2 where tenant_id = $1', [
      tenantId,
      error.slice(0, 500),
    ]);
  },
};

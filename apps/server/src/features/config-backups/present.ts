import type { JobItem, VersionItem } from './config-backups.schema.js';
import type { JobRow } from './jobs.repo.js';
import type { VersionRow } from './versions.repo.js';

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function presentVersion(v: VersionRow): VersionItem {
  return {
    id: v.sha256,
    version_id: v.version_id,
    created_at: v.created_at.toISOString(),
    unchanged_until: v.unchanged_until.toISOString(),
    trigger: v.trigger,
    checkpoint_name: v.checkpoint_name,
    changed_by: v.changed_by,
    change_log: Array.isArray(v.change_log) ? (v.change_log as VersionItem['change_log']) : null,
    requested_by: v.actor_label,
    size: v.size,
    raw_size: v.raw_size,
    binary_size: v.binary_size,
    changes: v.changes,
    method: v.method,
    routeros_version: v.routeros_version,
    secrets_included: v.secrets_included,
  };
}

export function presentJob(j: JobRow): JobItem {
  return {
    id: j.id,
    device_id: j.device_id,
    trigger: j.trigger,
    checkpoint_name: j.checkpoint_name,
    status: j.status,
    attempts: j.attempts,
    max_attempts: j.max_attempts,
    created_at: j.created_at.toISOString(),
    run_after: j.run_after.toISOString(),
    started_at: iso(j.started_at),
    finished_at: iso(j.finished_at),
    version: j.sha256,
    version_id: j.version_id,
    unchanged: j.unchanged,
    error_code: j.error_code,
    error_detail: j.error_detail,
  };
}

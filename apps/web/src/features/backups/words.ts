import type { BackupJob, BackupSettings, BackupTrigger, Schedule } from '@/api/config-backups';
import { reasonText } from '../fleet/format';

// What the backup screens say: triggers, failure codes and schedules in words.

export const triggerLabel: Record<BackupTrigger, string> = {
  schedule: 'Scheduled',
  manual: 'Manual',
  checkpoint: 'Checkpoint',
  config_change: 'Config change',
  pre_change: 'Before a change',
  post_change: 'After a change',
};

/** Why a backup failed, beyond reaching the device (those codes read as the poller's do, in fleet/format.ts). */
const backupReasons: Record<string, string> = {
  backup_empty: 'The device sent an empty export: nothing was stored',
  backup_truncated: 'The export ended early (no clean end): the transfer was cut off',
  backup_not_routeros: 'What came back is not a RouterOS export',
  backup_command_failed: 'The device refused the export or backup command',
  backup_storage_full: 'Not enough free storage on the device to write a backup file',
  backup_unsupported: 'This device cannot be backed up: SSH is off and its RouterOS is older than 7.13 (API export)',
  backup_timeout: 'The backup took longer than its deadline',
  ssh_refused: 'SSH connection refused: the SSH service is off or the port is wrong',
  ssh_timeout: 'SSH did not answer in time',
  ssh_auth_failed: 'The router refused the username or password over SSH',
  ssh_host_key_mismatch: 'The SSH host key changed since it was pinned',
  ssh_transfer_incomplete: 'The file transfer over SSH was cut off',
};

/** A failure code in words an engineer can act on; unknown codes fall back to the server's detail. */
export function failureText(code: string | null, detail?: string | null): string {
  if (!code) return detail ?? 'The backup failed';
  return backupReasons[code] ?? reasonText[code] ?? detail ?? code.replaceAll('_', ' ');
}

export function jobLabel(j: Pick<BackupJob, 'trigger' | 'checkpoint_name'>): string {
  if (j.trigger === 'checkpoint') return `Checkpoint “${j.checkpoint_name ?? ''}”`;
  if (j.trigger === 'manual') return 'Backup';
  return `${triggerLabel[j.trigger]} backup`;
}

/** `/ip/firewall/filter` as RouterOS writes it: `/ip firewall filter`. */
export const menuName = (path: string) =>
  path === '' ? '(top level)' : `/${path.replace(/^\//, '').replaceAll('/', ' ')}`;

const pad = (n: string) => n.padStart(2, '0');

/** "Daily at 02:00" for the common shapes; the expression itself otherwise. */
export function cronText(cron: string): string {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5) return cron;
  const [min, hour, dom, mon, dow] = f as [string, string, string, string, string];
  const fixed = /^\d+$/.test(min) && /^\d+$/.test(hour);
  if (fixed && dom === '*' && mon === '*' && dow === '*') return `Daily at ${pad(hour)}:${pad(min)}`;
  if (fixed && dom === '*' && mon === '*' && /^[0-6]$/.test(dow))
    return `Weekly on ${['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][Number(dow)]} at ${pad(hour)}:${pad(min)}`;
  if (/^\d+$/.test(min) && hour === '*' && dom === '*' && mon === '*' && dow === '*') return `Hourly at minute ${min}`;
  return cron;
}

export const scheduleSource: Record<Schedule['source'], string> = {
  device: 'set for this device',
  organization: 'the organisation’s schedule',
  default: 'TOD’s default',
};

/** "Keep every version", or the policy in words. */
export function retentionText(s: Pick<BackupSettings, 'retention_versions' | 'retention_days'>): string {
  const n = s.retention_versions;
  const d = s.retention_days;
  if (n === null && d === null) return 'Keep every version';
  const parts = [
    n !== null ? `the newest ${n} version${n === 1 ? '' : 's'}` : null,
    d !== null ? `the last ${d} day${d === 1 ? '' : 's'}` : null,
  ].filter(Boolean);
  return `Keep ${parts.join(' and ')} of each device`;
}

export const RETENTION_NOTE =
  'Older versions are removed hourly; checkpoints and each device’s latest version are always kept.';

/** Why Push now did not push: the server's reason or the push's error code. */
export const pushWords: Record<string, string> = {
  'no remote set': 'No remote is set',
  'the mirror is empty': 'Nothing to push yet: no version was mirrored',
  'up to date': 'The remote is up to date',
  git_mirror_empty: 'Nothing to push yet: no version was mirrored',
  git_remote_invalid: 'The remote is not usable',
  git_push_rejected: 'The remote has commits TOD’s history does not have: not overwritten',
  git_auth_failed: 'The remote refused TOD’s credentials',
  git_host_key_mismatch: 'The remote’s SSH host key is not the one pinned',
  git_push_timeout: 'The push took too long',
  git_push_failed: 'The push failed',
};

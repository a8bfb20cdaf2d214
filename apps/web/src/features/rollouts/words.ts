import type { DeviceStatus, RolloutStatus, Wave } from '@/api/rollouts';
import { reasonText } from '../fleet/format';

// How rollouts are put into words: their states and their devices', what started them, and why a device failed.

type Tone = 'neutral' | 'info' | 'warning' | 'success' | 'danger';

export const rolloutStatuses: RolloutStatus[] = ['scheduled', 'running', 'paused', 'completed', 'cancelled'];

export const statusLabel: Record<RolloutStatus, string> = {
  scheduled: 'Scheduled',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const statusTone: Record<RolloutStatus, Tone> = {
  scheduled: 'neutral',
  running: 'info',
  paused: 'warning',
  completed: 'success',
  cancelled: 'neutral',
};

/** Why a rollout is paused, after "Paused" in the list. */
export const pauseReasonLabel: Record<string, string> = {
  manual: 'by hand',
  failure_threshold: 'too many failures',
  window_closed: 'window ended',
};

export const deviceStatuses: DeviceStatus[] = ['pending', 'running', 'done', 'failed', 'reverted', 'skipped'];

export const deviceStatusLabel: Record<DeviceStatus, string> = {
  pending: 'Waiting',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  reverted: 'Reverted',
  skipped: 'Skipped',
};

export const deviceStatusTone: Record<DeviceStatus, Tone> = {
  pending: 'neutral',
  running: 'info',
  done: 'success',
  failed: 'danger',
  reverted: 'warning',
  skipped: 'neutral',
};

export const waveStatusLabel: Record<Wave['status'], string> = {
  pending: 'waiting',
  running: 'running',
  finished: 'finished',
};

/** What started a rollout (the kinds the features register); an unknown one is shown as its name. */
const kinds: Record<string, string> = {
  template: 'Template',
  bulk_command_read: 'Bulk command (read)',
  bulk_command_action: 'Bulk command (action)',
  bulk_command_change: 'Bulk command (change)',
  simple_config: 'Simple Config',
  firmware: 'Firmware upgrade',
  certificate_deploy: 'Certificate deploy',
};
/** Every kind the features register, in the order the filter offers them. */
export const knownKinds = Object.keys(kinds);
export const kindLabel = (k: string) => kinds[k] ?? words(k);

/**
 * Why devices failed, grouped in the summary; the device's own message says the rest. Reaching the router failed:
 * the poller's words for the same codes (fleet/format.ts).
 */
const errors: Record<string, string> = {
  device_timeout: 'Not finished in time',
  connection_lost: 'The connection dropped during the change',
  error: 'Failed',
  apply_failed: 'The router refused a command',
  verify_failed: 'Could not be verified',
  not_confirmed: 'Not kept in time',
  reverted: 'Reverted',
  operation_failed: 'The change failed',
  step_failed: 'Failed unexpectedly',
  cancelled: 'Cancelled',
  lease_lost: 'Taken over by another worker',
  unknown_kind: 'Unknown kind of rollout',
};
export const errorLabel = (code: string) => errors[code] ?? reasonText[code] ?? words(code);

/** "device_timeout" → "Device timeout". */
function words(code: string) {
  const s = code.replaceAll(/[_-]+/g, ' ').trim();
  return s ? s[0]!.toUpperCase() + s.slice(1) : code;
}

/** "5 min", "90 s", "2 h". */
export function seconds(s: number): string {
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

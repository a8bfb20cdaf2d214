import type { Mode, OperationStatus } from '@/api/changes';

// How operations are put into words: their states, why one was reverted, and what each apply mode does.

export const statusLabel: Record<OperationStatus, string> = {
  pending: 'Queued',
  backing_up: 'Backing up',
  arming: 'Arming the automatic revert',
  applying: 'Applying',
  verifying: 'Verifying over a fresh connection',
  awaiting_confirmation: 'Waiting for you to keep it',
  confirmed: 'Confirmed',
  reverting: 'Reverting',
  reverted: 'Reverted',
  failed: 'Failed',
};

export const statusTone: Record<OperationStatus, 'neutral' | 'info' | 'warning' | 'success' | 'danger'> = {
  pending: 'neutral',
  backing_up: 'info',
  arming: 'info',
  applying: 'info',
  verifying: 'info',
  awaiting_confirmation: 'warning',
  confirmed: 'success',
  reverting: 'warning',
  reverted: 'warning',
  failed: 'danger',
};

/** The path an operation takes when all goes well; test mode waits for Keep before confirming. */
export function happyPath(mode: Mode): OperationStatus[] {
  if (mode === 'standard') return ['pending', 'backing_up', 'arming', 'applying', 'confirmed'];
  const base: OperationStatus[] = ['pending', 'backing_up', 'arming', 'applying', 'verifying'];
  return mode === 'test' ? [...base, 'awaiting_confirmation', 'confirmed'] : [...base, 'confirmed'];
}

const reasons: Record<string, string> = {
  apply_failed: 'the router refused a command',
  verify_failed: 'the change could not be verified',
  not_confirmed: 'it was not kept within the confirmation window',
  requested: 'reverted on request',
  session_lost: 'the session holding safe mode was lost',
  connection_lost: 'the router stopped answering while the change was applied',
  interrupted: 'TOD stopped during the change',
};
export const revertReason = (r: string | null) => (r ? (reasons[r] ?? r.replaceAll('_', ' ')) : null);

export const kindLabel: Record<string, string> = {
  edit: 'Edit',
  restore: 'Restore',
  rollback: 'Emergency rollback',
  restore_binary: 'Binary restore',
  simple_config: 'Simple Config',
  certificate_deploy: 'Certificate',
  vpn_peer: 'WireGuard peer',
  template: 'Template',
  bulk_command: 'Bulk command',
};

export const modeLabel: Record<Mode, string> = { safe: 'Safe', test: 'Test', standard: 'Standard' };

export const modeHelp: Record<Mode, string> = {
  safe: 'The router arms an automatic revert first; TOD keeps the change once it reaches the router again over a fresh connection.',
  test: 'Like Safe, then waits for you to press Keep within the time below; otherwise the router puts the old configuration back.',
  standard: 'No automatic revert (a backup is still taken first). Only for changes the router cannot undo by itself.',
};

export const strategyLabel: Record<string, string> = {
  safe_mode: 'revert by RouterOS safe mode',
  watchdog: 'revert by a scheduler watchdog',
  none: 'no automatic revert',
};

/** "1:54" */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

import { AppError } from '../../platform/http/errors.js';

// Why a backup failed, beyond reaching the device (those keep the device-access taxonomy codes).
export const backupFailureCodes = {
  backup_empty: 502,
  backup_truncated: 502,
  backup_not_routeros: 502,
  backup_command_failed: 502,
  backup_storage_full: 507,
  backup_unsupported: 501,
  backup_timeout: 504,
} as const;
export type BackupFailureCode = keyof typeof backupFailureCodes;

export class BackupFailure extends AppError {
  constructor(
    readonly failure: BackupFailureCode,
    detail: string,
    /** Worth trying again later (a timeout, a dropped transfer), or not (unsupported, refused command). */
    readonly retryable = failure === 'backup_truncated' || failure === 'backup_timeout',
  ) {
    super(failure, detail);
    this.name = 'BackupFailure';
  }
}

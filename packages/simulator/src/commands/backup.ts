// `/system backup save|load`, for the API (here) and the SSH CLI (ssh-cli.ts): the file's bytes are the truth, so
// a backup downloaded and uploaded again (SFTP) restores, and a wrong password or a damaged file is refused.
import { type BackupEncryption, BackupFileError, decodeBackup, encodeBackup } from '../backup-file.js';
import type { Device } from '../device.js';
import { fileBytes, findFile, writeFile } from '../files.js';
import type { StoreSnapshot } from '../store.js';
import { formatDateTime } from '../values.js';
import { atLeast } from '../version.js';
import { argFlag, type Caller, CommandError, type Handler, requirePolicy } from './context.js';

// RouterOS's words for a refused restore (guesses: the exact texts are not documented).
export const BACKUP_WRONG_PASSWORD = 'failure: wrong password';
export const BACKUP_CORRUPT = 'failure: backup file is corrupted';

/** A snapshot without `/file` (files live outside the configuration a backup restores). */
export function configSnapshot(device: Device): StoreSnapshot {
  const snap = device.store.snapshot();
  snap.menus = snap.menus.filter((m) => m.path !== '/file');
  return snap;
}

export interface SaveOptions {
  name?: string | undefined;
  password?: string | undefined;
  dontEncrypt?: boolean;
  encryption?: string | undefined;
}

/**
 * Writes a backup file and returns its name. From 6.43 a backup is encrypted only when a password is given
 * (`aes-sha256` by default); before 6.43 it was RC4-encrypted with the password, or else the user's own password.
 * A backup that does not fit in the free space fails and writes nothing.
 */
export function saveBackup(device: Device, caller: Caller, o: SaveOptions): string {
  const base = o.name ?? `${device.identity}-${formatDateTime(new Date(), true).replace(/[ :]/g, '-')}`;
  const name = base.endsWith('.backup') ? base : `${base}.backup`;
  const modern = atLeast(device.version, '6.43');
  const userPassword = caller.user?.props.get('password') ?? '';
  const password = o.password ?? (modern ? '' : userPassword);
  let encryption: BackupEncryption = 'none';
  if (!o.dontEncrypt && password !== '') {
    if (!modern) encryption = 'rc4';
    else if (o.encryption === undefined || o.encryption === 'aes-sha256') encryption = 'aes-sha256';
    else if (o.encryption === 'rc4') encryption = 'rc4';
    else throw new CommandError(`invalid value for argument encryption`, 1);
  }
  writeFile(device, name, 'backup', encodeBackup(configSnapshot(device), encryption, password));
  device.log('system,info', `configuration backup saved by ${caller.userName}`);
  return name;
}

/** Restores the configuration in a backup file (the caller reboots the device afterwards). */
export function loadBackup(device: Device, caller: Caller, name: string, password: string | undefined): void {
  const file = findFile(device, name) ?? findFile(device, `${name}.backup`);
  if (!file) throw new CommandError('no such file', 1);
  let snap: StoreSnapshot;
  try {
    snap = decodeBackup(fileBytes(file), password ?? '');
  } catch (e) {
    if (e instanceof BackupFileError)
      throw new CommandError(e.reason === 'wrong_password' ? BACKUP_WRONG_PASSWORD : BACKUP_CORRUPT);
    throw e;
  }
  // The device reboots into the backup: safe mode ends with nothing undone (its holder's session drops with the
  // reboot, but the configuration it would revert to is gone).
  if (device.safeMode) {
    device.safeMode = undefined;
    device.log('system,info', 'safe mode released: backup loaded');
  }
  device.restoreConfig(snap);
  device.log('system,info', `configuration restored from backup by ${caller.userName}`);
}

export const backupCommands: Record<string, Record<string, Handler>> = {
  '/system/backup': {
    save(ctx) {
      requirePolicy(ctx, 'write');
      saveBackup(ctx.device, ctx.caller, {
        name: ctx.args.get('name'),
        password: ctx.args.get('password'),
        dontEncrypt: argFlag(ctx, 'dont-encrypt'),
        encryption: ctx.args.get('encryption'),
      });
      ctx.out.done();
    },
    load(ctx) {
      requirePolicy(ctx, 'write');
      loadBackup(ctx.device, ctx.caller, ctx.args.get('name') ?? '', ctx.args.get('password'));
      // RouterOS reboots to apply a loaded backup: the API session drops without an answer.
      setImmediate(() => ctx.device.reboot());
    },
  },
};

import { randomBytes } from 'node:crypto';
import { encodedLength, q, type RouterOSClient, TrapError, writeText } from '@tod/routeros';
import type { DeviceAccess, SshSession } from '../device-access/device-access.service.js';
import type { DeviceRef } from '../device-access/leases.js';
import { DeviceAccessError } from '../device-access/taxonomy.js';
import { BackupFailure } from './failures.js';
import { checkBinary, checkExport } from './validate.js';

// Taking one backup of one device: the export (with secrets where the device allows) and a binary backup.
// SSH first (every RouterOS version, any size); the API when SSH is off (RouterOS 7.13+ can read files over it).
// Every file TOD writes on the device is named `tod-backup-…` and removed again, also after a failure, and
// leftovers of an earlier crashed attempt are removed first.

export type Captured = {
  /** The export as the device sent it (line ends as received). */
  raw: Buffer;
  /** The checked export text (LF line ends). */
  text: string;
  binary: Buffer | null;
  /** RouterOS before 6.43 always encrypts a backup (RC4): TOD gives it a password of its own, kept for a restore. */
  binaryPassword: string | null;
  method: 'ssh' | 'api';
  secretsIncluded: boolean;
  /** Something the device page should say (a fallback, a missing policy), or null. */
  note: string | null;
};

export type CaptureOptions = {
  /** Unique per attempt: names the files on the device. */
  tag: string;
  /** Major version from the inventory, when known (6 exports secrets without asking; 7 needs show-sensitive). */
  major: number | null;
  timeoutMs: number;
};

const MAX_EXPORT = 64 * 1024 * 1024;
const PREFIX = 'tod-backup-';
const SSH_FALLBACK = new Set(['ssh_refused', 'ssh_auth_failed']);

// What a v6 router says to `show-sensitive`, and what a user without the `sensitive` policy gets on v7.
const UNKNOWN_ARG = /expected end of command|syntax error/i;
const NO_POLICY = /not enough permissions/i;
const NO_SPACE = /not enough (disk )?space|no space|storage.*full/i;

export async function captureDevice(access: DeviceAccess, ref: DeviceRef, o: CaptureOptions): Promise<Captured> {
  let sshFailure: string | null = null;
  try {
    return await access.withSsh(ref, 'backup', (s) => captureSsh(s, o), { waitMs: o.timeoutMs });
  } catch (e) {
    if (!(e instanceof DeviceAccessError) || !SSH_FALLBACK.has(e.failure)) throw e;
    sshFailure = e.failure;
  }
  const c = await access.withApi(ref, 'backup', (client) => captureApi(client, o), { waitMs: o.timeoutMs });
  return { ...c, note: [`SSH unavailable (${sshFailure}): backed up over the API`, c.note].filter(Boolean).join('; ') };
}

// --- SSH ---------------------------------------------------------------------------------------------------------

async function captureSsh(s: SshSession, o: CaptureOptions): Promise<Captured> {
  const exec = async (cmd: string, maxBytes = 64 * 1024) => {
    const r = await s.exec(cmd, { maxBytes, timeoutMs: o.timeoutMs });
    if (!r.complete) throw new BackupFailure('backup_truncated', 'the connection ended before the command finished');
    return r.stdout;
  };
  await exec(`/file remove [find where name~"^${PREFIX}"]`);
  const backupName = `${PREFIX}${o.tag}.backup`;
  try {
    const { raw, secretsIncluded, note } = await sshExport(exec, o.major);
    const text = checkExport(raw);
    let binaryPassword: string | null = null;
    let said = (await exec(`/system backup save name=${PREFIX}${o.tag} dont-encrypt=yes`)).toString('utf8');
    if (UNKNOWN_ARG.test(said)) {
      // Before 6.43 there is no unencrypted backup (without a password RouterOS uses the user's own).
      binaryPassword = randomBytes(18).toString('base64url');
      said = (await exec(`/system backup save name=${PREFIX}${o.tag} password=${binaryPassword}`)).toString('utf8');
    }
    saveFailure(said);
    const binary = checkBinary(await s.readFile(backupName, { maxBytes: MAX_EXPORT, timeoutMs: o.timeoutMs }));
    return { raw, text, binary, binaryPassword, method: 'ssh', secretsIncluded, note };
  } finally {
    await s.remove(backupName).catch(() => {});
  }
}

/**
 * The export with secrets where the router allows: RouterOS 7 hides them unless asked (`show-sensitive`), RouterOS 6
 * has no such flag (its syntax error is not an empty backup) and exports them anyway, and RouterOS 5 lacks `terse`.
 */
async function sshExport(exec: (cmd: string, max?: number) => Promise<Buffer>, major: number | null) {
  const commands =
    major !== null && major < 7
      ? ['/export terse', '/export']
      : ['/export terse show-sensitive', '/export terse', '/export'];
  let note: string | null = null;
  let raw: Buffer = Buffer.alloc(0);
  for (const cmd of commands) {
    raw = await exec(cmd, MAX_EXPORT);
    const head = raw.subarray(0, 300).toString('utf8');
    if (cmd.includes('show-sensitive') && NO_POLICY.test(head)) {
      note = "the device user lacks the 'sensitive' policy: backups have no secrets";
      continue;
    }
    if (!UNKNOWN_ARG.test(head)) break;
  }
  return { raw, secretsIncluded: note === null, note };
}

function saveFailure(said: string): void {
  if (NO_SPACE.test(said))
    throw new BackupFailure('backup_storage_full', 'not enough free storage on the device for a backup file');
  if (/fail|error|bad command|expected/i.test(said))
    throw new BackupFailure('backup_command_failed', 'the device refused to save a binary backup');
}

// --- API (RouterOS 7.13+) ----------------------------------------------------------------------------------------

const CHUNK = 32 * 1024;

async function captureApi(
  client: RouterOSClient,
  o: CaptureOptions,
): Promise<Omit<Captured, 'method'> & { method: 'api' }> {
  const base = `${PREFIX}${o.tag}`;
  const files = [`${base}.rsc`, `${base}.backup`];
  await removeLeftovers(client);
  try {
    let secretsIncluded = true;
    let note: string | null = null;
    try {
      await trap(() => client.command('/export', { file: base, terse: '', 'show-sensitive': '' }));
    } catch (e) {
      if (!(e instanceof TrapError)) throw e;
      if (!NO_POLICY.test(e.message)) throw commandFailed(e);
      secretsIncluded = false;
      note = "the device user lacks the 'sensitive' policy: backups have no secrets";
      await trap(() => client.command('/export', { file: base, terse: '' }));
    }
    const raw = await readFile(client, files[0]!);
    const text = checkExport(raw);
    await trap(() => client.command('/system/backup/save', { name: base, 'dont-encrypt': 'yes' }));
    const binary = checkBinary(await readFile(client, files[1]!));
    return { raw, text, binary, binaryPassword: null, method: 'api', secretsIncluded, note };
  } finally {
    for (const f of files) await client.command('/file/remove', { numbers: f }).catch(() => {});
  }
}

async function trap<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof TrapError && NO_SPACE.test(e.message))
      throw new BackupFailure('backup_storage_full', 'not enough free storage on the device for a backup file');
    throw e;
  }
}

function commandFailed(e: TrapError): BackupFailure {
  if (/no such command/i.test(e.message))
    return new BackupFailure('backup_unsupported', 'SSH is off and this RouterOS cannot export to a file over the API');
  return new BackupFailure('backup_command_failed', 'the device refused the export command');
}

async function removeLeftovers(client: RouterOSClient): Promise<void> {
  const rows = await client.command('/file/print', { '.proplist': 'name' });
  for (const r of rows) {
    const name = r.name ?? '';
    if (name.startsWith(PREFIX)) await client.command('/file/remove', { numbers: name }).catch(() => {});
  }
}

/** A file's bytes by `/file/read` chunks, checked against the size `/file/print` reports. */
async function readFile(client: RouterOSClient, name: string): Promise<Buffer> {
  const [info] = await client.command('/file/print', { '.proplist': 'name,size' }, { query: q.eq('name', name) });
  if (!info) throw new BackupFailure('backup_empty', 'the device wrote no file');
  const size = Number(info.size ?? '0');
  if (!Number.isSafeInteger(size) || size > MAX_EXPORT)
    throw new BackupFailure('backup_not_routeros', 'the file on the device is larger than TOD accepts');
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < size) {
    let rows: Array<Record<string, string>>;
    try {
      rows = await client.command('/file/read', { file: name, offset: String(offset), 'chunk-size': String(CHUNK) });
    } catch (e) {
      if (e instanceof TrapError) throw commandFailed(e);
      throw e;
    }
    const data = rows[0]?.data ?? '';
    if (data.length === 0) break;
    // Device access opens API sessions in win1252, which maps each of the 256 byte values to one character.
    const bytes = Buffer.alloc(encodedLength(data, 'win1252'));
    writeText(data, bytes, 0, 'win1252');
    parts.push(bytes);
    offset += bytes.length;
  }
  const all = Buffer.concat(parts);
  if (all.length !== size) throw new BackupFailure('backup_truncated', 'the file read from the device is incomplete');
  return all;
}

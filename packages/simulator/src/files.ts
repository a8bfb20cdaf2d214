// The device's file store (`/file`): what the API's /file menu, the SSH CLI and SFTP all read and write.
// Text files keep their text in the `contents` property (what /file print shows and /import reads); binary files
// (backups, uploads with NUL bytes) keep their bytes in `item.data`. Values are byte strings (one char per byte),
// so a text file's bytes are its contents in latin1.
import { CommandError } from './commands/context.js';
import type { Device } from './device.js';
import { freeHddSpace } from './live.js';
import { ConfigStore, type Item } from './store.js';
import { formatDateTime } from './values.js';

// RouterOS's words when a file does not fit (guess: the exact text of a full flash is not documented).
export const DISK_FULL = 'failure: not enough disk space';

export function findFile(device: Device, name: string): Item | undefined {
  return device.store.menu('/file', false)?.items.find((f) => ConfigStore.get(f, 'name') === name);
}

export function listFiles(device: Device): Item[] {
  return device.store.menu('/file', false)?.items ?? [];
}

export function fileName(item: Item): string {
  return ConfigStore.get(item, 'name') ?? '';
}

export function fileSize(item: Item): number {
  return Number(ConfigStore.get(item, 'size') ?? '0');
}

export function fileBytes(item: Item): Buffer {
  return item.data ?? Buffer.from(ConfigStore.get(item, 'contents') ?? '', 'latin1');
}

/** Bytes all files take. */
export function filesBytes(device: Device): number {
  let n = 0;
  for (const f of listFiles(device)) n += fileSize(f);
  return n;
}

export function freeSpace(device: Device): number {
  return freeHddSpace(device.live());
}

/** RouterOS names a file's type by its extension: `backup`, `script`, else `.txt file`. */
export function fileTypeOf(name: string): string {
  if (name.endsWith('.backup')) return 'backup';
  if (name.endsWith('.rsc')) return 'script';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(dot)} file` : 'file';
}

/** Whether `size` more bytes fit, counting the space a file of the same name (replaced) frees. */
export function fits(device: Device, name: string, size: number): boolean {
  const existing = findFile(device, name);
  return size <= freeSpace(device) + (existing ? fileSize(existing) : 0);
}

/**
 * Writes (or replaces) a file. Strings are text; Buffers are stored as text when they hold no NUL byte, else as
 * bytes. A file that does not fit in the free space fails with DISK_FULL and writes nothing.
 */
export function writeFile(device: Device, name: string, type: string, contents: string | Buffer): Item {
  const bytes = typeof contents === 'string' ? Buffer.byteLength(contents, 'latin1') : contents.length;
  if (!fits(device, name, bytes)) throw new CommandError(DISK_FULL);
  const props = new Map([
    ['name', name],
    ['type', type],
    ['size', String(bytes)],
    ['creation-time', formatDateTime(new Date(), device.behaviour.isoDates)],
  ]);
  const binary = typeof contents !== 'string' && contents.includes(0);
  if (!binary) props.set('contents', typeof contents === 'string' ? contents : contents.toString('latin1'));
  const existing = findFile(device, name);
  if (existing) device.store.remove('/file', existing);
  return device.store.add('/file', props, binary ? { data: Buffer.from(contents as Buffer) } : {});
}

export function removeFile(device: Device, item: Item): void {
  device.store.remove('/file', item);
}

export function renameFile(device: Device, item: Item, name: string): void {
  device.store.set('/file', item, new Map([['name', name]]));
}

// SFTP over the device's file store (`/file`): list, stat, read, write (upload), remove, rename. Paths are file
// names, with `/` in a name (`flash/x.rsc`) read as a directory. An upload lands when its handle is closed and
// needs room in the free space, like any file the device writes.
import type ssh2 from 'ssh2';
import { CommandError } from './commands/context.js';
import type { Device } from './device.js';
import {
  fileBytes,
  fileName,
  fileSize,
  fileTypeOf,
  findFile,
  fits,
  listFiles,
  removeFile,
  renameFile,
  writeFile,
} from './files.js';

/** What SFTP needs from its SSH connection: fault knobs applied per reply and to file data sent. */
export interface SftpLink {
  /** Runs a reply, after the latency fault if any. */
  reply(fn: () => void): void;
  /** Whether `n` more bytes of data may be sent; false after cutting the connection (dropAfterBytes). */
  spend(n: number): boolean;
}

type Handle =
  | { kind: 'read'; name: string; bytes: Buffer }
  | { kind: 'write'; name: string; bytes: Buffer; size: number; full?: boolean }
  | { kind: 'dir'; path: string; listed: boolean };

// ssh2's numbers (utils.sftp): kept here so the module needs only ssh2's types.
const STATUS = { OK: 0, EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4, OP_UNSUPPORTED: 8 } as const;
const OPEN_WRITE = 0x02;
const OPEN_CREAT = 0x08;
const OPEN_TRUNC = 0x10;
const OPEN_APPEND = 0x04;

/** `/a/./b/` → `a/b`; `/`, `.` and `` are the root (``). */
export function normalisePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

const now = () => Math.floor(Date.now() / 1000);
const fileAttrs = (size: number) => ({ mode: 0o100644, uid: 0, gid: 0, size, atime: now(), mtime: now() });
const dirAttrs = () => ({ mode: 0o040755, uid: 0, gid: 0, size: 0, atime: now(), mtime: now() });

function isDir(device: Device, path: string): boolean {
  if (path === '') return true;
  return listFiles(device).some((f) => fileName(f).startsWith(`${path}/`));
}

function entries(device: Device, dir: string): ssh2.FileEntry[] {
  const prefix = dir === '' ? '' : `${dir}/`;
  const seen = new Set<string>();
  const out: ssh2.FileEntry[] = [];
  for (const f of listFiles(device)) {
    const name = fileName(f);
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const slash = rest.indexOf('/');
    const child = slash < 0 ? rest : rest.slice(0, slash);
    if (child === '' || seen.has(child)) continue;
    seen.add(child);
    const attrs = slash < 0 ? fileAttrs(fileSize(f)) : dirAttrs();
    const type = slash < 0 ? '-rw-r--r--' : 'drwxr-xr-x';
    out.push({
      filename: child,
      longname: `${type} 1 root root ${String(attrs.size).padStart(10)} Jan  1 00:00 ${child}`,
      attrs: attrs as ssh2.Attributes,
    });
  }
  return out;
}

export function serveSftp(device: Device, sftp: ssh2.SFTPWrapper, link: SftpLink): void {
  const handles = new Map<string, Handle>();
  let nextHandle = 1;
  const open = (h: Handle) => {
    const id = Buffer.alloc(4);
    id.writeUInt32BE(nextHandle++, 0);
    handles.set(id.toString('hex'), h);
    return id;
  };
  const get = (b: Buffer) => handles.get(b.toString('hex'));
  const status = (reqid: number, code: number, message?: string) => link.reply(() => sftp.status(reqid, code, message));

  sftp.on('REALPATH', (reqid, path) =>
    link.reply(() =>
      sftp.name(reqid, [{ filename: `/${normalisePath(path)}`, longname: '', attrs: dirAttrs() as ssh2.Attributes }]),
    ),
  );
  const stat = (reqid: number, path: string) => {
    const p = normalisePath(path);
    const f = findFile(device, p);
    if (f) link.reply(() => sftp.attrs(reqid, fileAttrs(fileSize(f)) as ssh2.Attributes));
    else if (isDir(device, p)) link.reply(() => sftp.attrs(reqid, dirAttrs() as ssh2.Attributes));
    else status(reqid, STATUS.NO_SUCH_FILE);
  };
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);
  sftp.on('FSTAT', (reqid, handle) => {
    const h = get(handle);
    if (!h) return status(reqid, STATUS.FAILURE);
    const size = h.kind === 'read' ? h.bytes.length : h.kind === 'write' ? h.size : 0;
    link.reply(() => sftp.attrs(reqid, (h.kind === 'dir' ? dirAttrs() : fileAttrs(size)) as ssh2.Attributes));
  });
  sftp.on('OPENDIR', (reqid, path) => {
    const p = normalisePath(path);
    if (!isDir(device, p)) return status(reqid, STATUS.NO_SUCH_FILE);
    const id = open({ kind: 'dir', path: p, listed: false });
    link.reply(() => sftp.handle(reqid, id));
  });
  sftp.on('READDIR', (reqid, handle) => {
    const h = get(handle);
    if (h?.kind !== 'dir') return status(reqid, STATUS.FAILURE);
    if (h.listed) return status(reqid, STATUS.EOF);
    h.listed = true;
    const list = entries(device, h.path);
    link.reply(() => sftp.name(reqid, list));
  });
  sftp.on('OPEN', (reqid, path, flags) => {
    const name = normalisePath(path);
    const f = findFile(device, name);
    if (flags & (OPEN_WRITE | OPEN_APPEND)) {
      if (!f && !(flags & OPEN_CREAT)) return status(reqid, STATUS.NO_SUCH_FILE);
      const bytes = f && !(flags & OPEN_TRUNC) ? Buffer.from(fileBytes(f)) : Buffer.alloc(0);
      const id = open({ kind: 'write', name, bytes, size: bytes.length });
      return link.reply(() => sftp.handle(reqid, id));
    }
    if (!f) return status(reqid, STATUS.NO_SUCH_FILE);
    const id = open({ kind: 'read', name, bytes: fileBytes(f) });
    link.reply(() => sftp.handle(reqid, id));
  });
  sftp.on('READ', (reqid, handle, offset, length) => {
    const h = get(handle);
    if (h?.kind !== 'read') return status(reqid, STATUS.FAILURE);
    if (offset >= h.bytes.length) return status(reqid, STATUS.EOF);
    const data = h.bytes.subarray(offset, Math.min(h.bytes.length, offset + length));
    link.reply(() => {
      if (link.spend(data.length)) sftp.data(reqid, data);
    });
  });
  sftp.on('WRITE', (reqid, handle, offset, data) => {
    const h = get(handle);
    if (h?.kind !== 'write') return status(reqid, STATUS.FAILURE);
    const end = offset + data.length;
    if (h.full || !fits(device, h.name, Math.max(end, h.size))) {
      // A full disk fails the write, and the upload leaves no file behind.
      h.full = true;
      return status(reqid, STATUS.FAILURE, 'not enough disk space');
    }
    if (end > h.bytes.length) {
      const grown = Buffer.alloc(Math.max(end, h.bytes.length * 2));
      h.bytes.copy(grown, 0, 0, h.size);
      h.bytes = grown;
    }
    data.copy(h.bytes, offset);
    h.size = Math.max(h.size, end);
    status(reqid, STATUS.OK);
  });
  sftp.on('CLOSE', (reqid, handle) => {
    const h = get(handle);
    if (!h) return status(reqid, STATUS.FAILURE);
    handles.delete(handle.toString('hex'));
    if (h.kind !== 'write') return status(reqid, STATUS.OK);
    if (h.full) return status(reqid, STATUS.FAILURE, 'not enough disk space');
    try {
      writeFile(device, h.name, fileTypeOf(h.name), h.bytes.subarray(0, h.size));
      status(reqid, STATUS.OK);
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      status(reqid, STATUS.FAILURE, 'not enough disk space');
    }
  });
  sftp.on('REMOVE', (reqid, path) => {
    const f = findFile(device, normalisePath(path));
    if (!f) return status(reqid, STATUS.NO_SUCH_FILE);
    removeFile(device, f);
    status(reqid, STATUS.OK);
  });
  sftp.on('RENAME', (reqid, from, to) => {
    const f = findFile(device, normalisePath(from));
    if (!f) return status(reqid, STATUS.NO_SUCH_FILE);
    if (findFile(device, normalisePath(to))) return status(reqid, STATUS.FAILURE);
    renameFile(device, f, normalisePath(to));
    f.props.set('type', fileTypeOf(normalisePath(to)));
    status(reqid, STATUS.OK);
  });
  // Attributes cannot be changed on RouterOS's store: accepted and ignored, as clients set them after uploads.
  sftp.on('SETSTAT', (reqid) => status(reqid, STATUS.OK));
  sftp.on('FSETSTAT', (reqid) => status(reqid, STATUS.OK));
  for (const op of ['MKDIR', 'RMDIR', 'READLINK', 'SYMLINK'] as const)
    sftp.on(op as 'MKDIR', (reqid: number) => status(reqid, STATUS.OP_UNSUPPORTED));
}

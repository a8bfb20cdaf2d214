// `/system backup` files: real bytes, so a backup downloaded over SFTP and uploaded again restores.
// The header is RouterOS's (little-endian magic and file length; the magic numbers are those of RouterOS .backup
// files as documented by RouterOS-Backup-Tools): plain 0xB1A1AC88; RC4 0x7291A8EF (before 6.43); AES-128-CTR
// 0x7391A8EF (6.43+, `aes-sha256`). Real files then carry the router's idx/dat databases; ours carry the
// configuration snapshot as gzip'd JSON. Encrypted files follow RouterOS's layout: a 32-byte salt, (AES) a 32-byte
// HMAC-SHA256 signature, then the encrypted plain magic as a password check, then the encrypted payload.
import { createCipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Item, Menu, StoreSnapshot } from './store.js';

export const MAGIC_PLAIN = 0xb1a1ac88;
export const MAGIC_RC4 = 0x7291a8ef;
export const MAGIC_AES = 0x7391a8ef;
const RC4_SKIP = 0x300;
const AES_SKIP = 0x10;

export type BackupEncryption = 'none' | 'rc4' | 'aes-sha256';

export type BackupReadError = 'corrupt' | 'wrong_password';

export class BackupFileError extends Error {
  override readonly name = 'BackupFileError';
  constructor(readonly reason: BackupReadError) {
    super(reason);
  }
}

type ItemJson = Omit<Item, 'props' | 'fixed' | 'data'> & { props: [string, string][]; fixed?: [string, string][] };

function toJson(snap: StoreSnapshot): Buffer {
  const menus = snap.menus.map((m) => ({
    path: m.path,
    singleton: m.singleton,
    items: m.items.map((i): ItemJson => {
      const { props, fixed, data: _data, ...rest } = i;
      return { ...rest, props: [...props], ...(fixed ? { fixed: [...fixed] } : {}) };
    }),
  }));
  return Buffer.from(JSON.stringify({ nextId: snap.nextId, menus }), 'utf8');
}

function fromJson(buf: Buffer): StoreSnapshot {
  const raw = JSON.parse(buf.toString('utf8')) as {
    nextId: number;
    menus: Array<Omit<Menu, 'items'> & { items: ItemJson[] }>;
  };
  if (typeof raw.nextId !== 'number' || !Array.isArray(raw.menus)) throw new Error('not a snapshot');
  return {
    nextId: raw.nextId,
    menus: raw.menus.map((m) => ({
      path: m.path,
      singleton: m.singleton,
      items: m.items.map((i) => {
        const { props, fixed, ...rest } = i;
        const item: Item = { ...rest, props: new Map(props) };
        if (fixed) item.fixed = new Map(fixed);
        return item;
      }),
    })),
  };
}

function rc4(key: Buffer, data: Buffer, skip: number): Buffer {
  const s = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) & 255;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
  }
  const out = Buffer.alloc(data.length);
  let i = 0;
  let j = 0;
  for (let n = 0; n < skip + data.length; n++) {
    i = (i + 1) & 255;
    j = (j + (s[i] as number)) & 255;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
    const k = s[((s[i] as number) + (s[j] as number)) & 255] as number;
    if (n >= skip) out[n - skip] = (data[n - skip] as number) ^ k;
  }
  return out;
}

function aes(salt: Buffer, password: string, data: Buffer): Buffer {
  const key = createHash('sha256').update(salt).update(Buffer.from(password, 'latin1')).digest();
  const c = createCipheriv('aes-128-ctr', key.subarray(0, 16), salt.subarray(0, 16));
  c.update(Buffer.alloc(AES_SKIP));
  return c.update(data);
}

function signature(salt: Buffer, password: string, encrypted: Buffer): Buffer {
  const key = createHash('sha256').update(salt).update(Buffer.from(password, 'latin1')).digest();
  return createHmac('sha256', key).update(encrypted).digest();
}

function header(magic: number, length: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32LE(magic, 0);
  h.writeUInt32LE(length, 4);
  return h;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
};

/** The bytes of a backup of `snap`, encrypted with `password` unless `encryption` is `none`. */
export function encodeBackup(snap: StoreSnapshot, encryption: BackupEncryption, password = ''): Buffer {
  const payload = gzipSync(toJson(snap));
  if (encryption === 'none') return Buffer.concat([header(MAGIC_PLAIN, 8 + payload.length), payload]);
  const salt = randomBytes(32);
  const plain = Buffer.concat([u32(MAGIC_PLAIN), payload]);
  if (encryption === 'rc4') {
    const key = createHash('sha1').update(salt).update(Buffer.from(password, 'latin1')).digest();
    const body = rc4(key, plain, RC4_SKIP);
    return Buffer.concat([header(MAGIC_RC4, 8 + 32 + body.length), salt, body]);
  }
  const body = aes(salt, password, plain);
  return Buffer.concat([header(MAGIC_AES, 8 + 64 + body.length), salt, signature(salt, password, body), body]);
}

/** Whether the bytes start like a backup file, and whether it is encrypted. */
export function backupKind(bytes: Buffer): BackupEncryption | undefined {
  if (bytes.length < 8) return undefined;
  const magic = bytes.readUInt32LE(0);
  if (magic === MAGIC_PLAIN) return 'none';
  if (magic === MAGIC_RC4) return 'rc4';
  if (magic === MAGIC_AES) return 'aes-sha256';
  return undefined;
}

/** The snapshot in a backup file; BackupFileError `corrupt` (truncated, altered, not a backup) or `wrong_password`. */
export function decodeBackup(bytes: Buffer, password = ''): StoreSnapshot {
  const kind = backupKind(bytes);
  if (kind === undefined || bytes.readUInt32LE(4) !== bytes.length) throw new BackupFileError('corrupt');
  let payload: Buffer;
  if (kind === 'none') payload = bytes.subarray(8);
  else {
    const salt = bytes.subarray(8, 40);
    let plain: Buffer;
    if (kind === 'rc4') {
      if (bytes.length < 44) throw new BackupFileError('corrupt');
      const key = createHash('sha1').update(salt).update(Buffer.from(password, 'latin1')).digest();
      plain = rc4(key, bytes.subarray(40), RC4_SKIP);
    } else {
      if (bytes.length < 76) throw new BackupFileError('corrupt');
      const body = bytes.subarray(72);
      plain = aes(salt, password, body);
      if (plain.readUInt32LE(0) !== MAGIC_PLAIN) throw new BackupFileError('wrong_password');
      if (!timingSafeEqual(signature(salt, password, body), bytes.subarray(40, 72)))
        throw new BackupFileError('corrupt');
    }
    if (plain.readUInt32LE(0) !== MAGIC_PLAIN) throw new BackupFileError('wrong_password');
    payload = plain.subarray(4);
  }
  try {
    return fromJson(gunzipSync(payload));
  } catch {
    throw new BackupFileError('corrupt');
  }
}

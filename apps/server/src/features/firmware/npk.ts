import { VERSION } from './versions.js';

// RouterOS package files (.npk), checked before TOD keeps one in its cache. The layout (MikroTik's NovaPackage):
// a little-endian magic 0xBAD0F11E, the length of the rest (the file's size minus 8), then parts to the very end,
// each a u16 type, a u32 length and that many bytes. The package's name and version are in its first name-info
// part (type 0x01, or 0x12 in older bundles): 16 bytes of name (NUL-padded), the version as four bytes (revision
// — its high bit marks a test build —, release kind 'a' alpha, 'b' beta, 'c' rc, 'f' final, minor, major) and the
// build time (u32 seconds). Type 0x10 names the architecture. Other parts (files, scripts, signature, squashfs) are
// not read: RouterOS checks the signature itself when it installs.

const MAGIC = 0xbad0f11e;
const NAME_INFO = 0x01;
const PKG_INFO = 0x12;
const ARCHITECTURE = 0x10;
const KINDS: Record<number, string> = { 97: 'alpha', 98: 'beta', 99: 'rc' };
const FINAL = 102;
const NAME = /^[a-z0-9][a-z0-9._-]{0,15}$/;

export type NpkHeader = {
  name: string;
  version: string;
  /** As the package names it (arm, arm64, mipsbe, v6 `mips`, x86); undefined when it has no architecture part. */
  architecture: string | undefined;
  buildTime: Date;
};

export class NpkInvalid extends Error {}

function decodeVersion(b: Buffer): string | undefined {
  const [revision = 0, kind = 0, minor = 0, major = 0] = b;
  const r = revision & 0x7f;
  const v =
    kind === FINAL
      ? r === 0
        ? `${major}.${minor}`
        : `${major}.${minor}.${r}`
      : KINDS[kind]
        ? `${major}.${minor}${KINDS[kind]}${r}`
        : undefined;
  return v && VERSION.test(v) ? v : undefined;
}

/**
 * What a whole package file says about itself. Throws NpkInvalid (with a sentence of TOD's own) for anything that
 * is not a whole RouterOS package: another magic, a length that is not the file's, parts that do not end exactly at
 * the end of the file, no name or an unreadable version.
 */
export function readNpkHeader(bytes: Buffer): NpkHeader {
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== MAGIC)
    throw new NpkInvalid('not a RouterOS package (no NPK magic at the start)');
  if (bytes.readUInt32LE(4) !== bytes.length - 8)
    throw new NpkInvalid(
      `the package says it is ${bytes.readUInt32LE(4) + 8} bytes long but the file has ${bytes.length}`,
    );
  let info: Buffer | undefined;
  let architecture: string | undefined;
  let at = 8;
  while (at < bytes.length) {
    if (at + 6 > bytes.length) throw new NpkInvalid('the package ends inside a part header');
    const type = bytes.readUInt16LE(at);
    const len = bytes.readUInt32LE(at + 2);
    if (at + 6 + len > bytes.length) throw new NpkInvalid('a part of the package runs past its end (cut short?)');
    const data = bytes.subarray(at + 6, at + 6 + len);
    if ((type === NAME_INFO || type === PKG_INFO) && info === undefined) info = data;
    else if (type === ARCHITECTURE && architecture === undefined)
      architecture = data.toString('latin1').replace(/\0.*$/s, '').trim() || undefined;
    at += 6 + len;
  }
  if (!info || info.length < 24) throw new NpkInvalid('the package has no name and version part');
  const name = info.subarray(0, 16).toString('latin1').replace(/\0.*$/s, '');
  if (!NAME.test(name)) throw new NpkInvalid('the package name is not one RouterOS uses');
  const version = decodeVersion(info.subarray(16, 20));
  if (!version) throw new NpkInvalid('the package version cannot be read');
  if (architecture !== undefined && !/^[a-z0-9_-]{1,16}$/.test(architecture))
    throw new NpkInvalid('the package architecture cannot be read');
  return { name, version, architecture, buildTime: new Date(info.readUInt32LE(20) * 1000) };
}

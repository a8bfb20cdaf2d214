// RouterOS package files (.npk), as far as installing them needs: the package's name, version and architecture.
// The layout: a little-endian magic 0xBAD0F11E, the length of the rest, then parts of (u16 type, u32 length,
// bytes). Part 1 (name info) starts with the name (16 bytes, NUL-padded), the version as four bytes (revision,
// release kind, minor, major; kind 'a' alpha, 'b' beta, 'c' rc, 'f' final) and the build time (u32 seconds).
// Part 0x10 holds the architecture name. Real packages have more parts (files, signature); installing in the
// simulator needs only these, so `buildNpk` writes only these (plus padding when asked for a size).

const MAGIC = 0xbad0f11e;
const PART_NAME_INFO = 0x01;
const PART_ARCHITECTURE = 0x10;
const PART_NULL_BLOCK = 0x16;
const NAME_INFO_BYTES = 36;

export interface NpkInfo {
  /** `routeros` (v7 main package; real v7 files may say `system`), `routeros-arm` (v6 bundle), `wifi-qcom-ac`, ... */
  name: string;
  /** `7.16.2`, `6.49.17`, `7.17rc3`. */
  version: string;
  /** As the package names it (`arm`, `arm64`, `mipsbe`, v6 `mips`, `x86`); undefined when the file has no part for it. */
  architecture: string | undefined;
  buildTime: Date;
}

const KIND_BYTE: Record<string, number> = { alpha: 97, beta: 98, rc: 99 };
const FINAL = 102;

function encodeVersion(version: string): Buffer {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:(alpha|beta|rc)(\d+))?$/.exec(version);
  if (!m) throw new TypeError(`not a RouterOS version: ${JSON.stringify(version)}`);
  const kind = m[4] ? (KIND_BYTE[m[4]] as number) : FINAL;
  const revision = Number(m[4] ? m[5] : (m[3] ?? 0));
  return Buffer.from([revision & 0x7f, kind, Number(m[2]), Number(m[1])]);
}

function decodeVersion(b: Buffer): string {
  const [revision = 0, kind = 0, minor = 0, major = 0] = b;
  const r = revision & 0x7f;
  if (kind === FINAL) return r === 0 ? `${major}.${minor}` : `${major}.${minor}.${r}`;
  const name = Object.entries(KIND_BYTE).find(([, v]) => v === kind)?.[0] ?? 'rc';
  return `${major}.${minor}${name}${r}`;
}

function part(type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt16LE(type, 0);
  head.writeUInt32LE(data.length, 2);
  return Buffer.concat([head, data]);
}

export interface NpkSpec {
  name: string;
  version: string;
  architecture: string;
  /** Pad the file to this many bytes (a realistic size for an upload); default: as small as it gets. */
  size?: number;
  buildTime?: Date;
}

/** A package file that RouterOS's installer (and the simulator's) recognises by its name, version and architecture. */
export function buildNpk(spec: NpkSpec): Buffer {
  const info = Buffer.alloc(NAME_INFO_BYTES);
  info.write(spec.name.slice(0, 16), 0, 'latin1');
  encodeVersion(spec.version).copy(info, 16);
  info.writeUInt32LE(Math.floor((spec.buildTime ?? new Date()).getTime() / 1000) >>> 0, 20);
  let parts = Buffer.concat([part(PART_NAME_INFO, info), part(PART_ARCHITECTURE, Buffer.from(spec.architecture))]);
  const pad = (spec.size ?? 0) - 8 - parts.length - 6;
  if (pad >= 0) parts = Buffer.concat([parts, part(PART_NULL_BLOCK, Buffer.alloc(pad))]);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(parts.length, 4);
  return Buffer.concat([head, parts]);
}

/** What a package file says about itself; undefined when it is not a whole package (wrong magic, cut short). */
export function readNpk(bytes: Buffer): NpkInfo | undefined {
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== MAGIC || bytes.readUInt32LE(4) !== bytes.length - 8) return;
  let name: string | undefined;
  let version = '';
  let buildTime = new Date(0);
  let architecture: string | undefined;
  for (let at = 8; at + 6 <= bytes.length; ) {
    const type = bytes.readUInt16LE(at);
    const len = bytes.readUInt32LE(at + 2);
    const data = bytes.subarray(at + 6, at + 6 + len);
    if (data.length !== len) return;
    if (type === PART_NAME_INFO && name === undefined && len >= 24) {
      name = data.subarray(0, 16).toString('latin1').replace(/\0.*$/s, '');
      version = decodeVersion(data.subarray(16, 20));
      buildTime = new Date(data.readUInt32LE(20) * 1000);
    } else if (type === PART_ARCHITECTURE && architecture === undefined) {
      architecture = data.toString('latin1').replace(/\0.*$/s, '').trim() || undefined;
    }
    at += 6 + len;
  }
  if (!name) return;
  return { name, version, architecture, buildTime };
}

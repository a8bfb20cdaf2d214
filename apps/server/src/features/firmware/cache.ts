import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type NpkHeader, NpkInvalid, readNpkHeader } from './npk.js';
import { archFamily } from './packages.js';
import { compareVersions } from './versions.js';

// TOD's package cache (FIRMWARE_CACHE_DIR): RouterOS packages an admin uploaded, for routers that cannot reach
// MikroTik. One folder per organisation — a package one organisation uploads is never installed on another's
// routers. Files are named from their checked header (`<name>@<version>@<arch>.npk`), never from what the uploader
// called them, so listing needs no second read and no uploaded name reaches the file system. An upload or a
// download from MikroTik (download.ts) fills it.

export type CachedPackage = {
  file: string;
  name: string;
  version: string;
  architecture: string;
  size: number;
  /** When it was put in the cache (the file's modification time). */
  addedAt: Date;
};

const FILE = /^([a-z0-9][a-z0-9._-]{0,15})@([0-9a-z.]+)@([a-z0-9_-]{1,16})\.npk$/;

export function firmwareCacheDir(config: { FIRMWARE_CACHE_DIR?: string | undefined; dataDir: string }): string {
  return resolve(config.FIRMWARE_CACHE_DIR ?? join(config.dataDir, 'firmware-cache'));
}

export function createPackageCache(root: string) {
  const dirOf = (tenantId: string) => {
    if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new Error('cache: tenant id must be a UUID');
    return join(root, tenantId.toLowerCase());
  };

  async function list(tenantId: string): Promise<CachedPackage[]> {
    const dir = dirOf(tenantId);
    const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    const out: CachedPackage[] = [];
    for (const file of names) {
      const m = FILE.exec(file);
      if (!m) continue;
      const s = await stat(join(dir, file)).catch(() => undefined);
      if (!s?.isFile()) continue;
      out.push({
        file,
        name: m[1] as string,
        version: m[2] as string,
        architecture: m[3] as string,
        size: s.size,
        addedAt: s.mtime,
      });
    }
    return out.sort(
      (a, b) =>
        a.architecture.localeCompare(b.architecture) ||
        compareVersions(b.version, a.version) ||
        a.name.localeCompare(b.name),
    );
  }

  return {
    root,
    list,

    /**
     * Checks and keeps a package (replacing one with the same name, version and architecture). `architecture`
     * is needed only for a package that does not name its own. Throws NpkInvalid for anything else.
     */
    async put(
      tenantId: string,
      bytes: Buffer,
      architecture?: string,
    ): Promise<CachedPackage & { sha256: string; header: NpkHeader }> {
      const header = readNpkHeader(bytes);
      const arch = header.architecture ?? architecture;
      if (!arch) throw new NpkInvalid('the package does not name its architecture: give ?architecture=');
      if (header.architecture && architecture && archFamily(architecture) !== archFamily(header.architecture))
        throw new NpkInvalid(`the package is for ${header.architecture}, not ${architecture}`);
      const family = archFamily(arch);
      const file = `${header.name}@${header.version}@${family}.npk`;
      if (!FILE.test(file)) throw new NpkInvalid('the package name or version cannot be used');
      const dir = dirOf(tenantId);
      await mkdir(dir, { recursive: true });
      // Written aside and renamed: a reader never sees half a package.
      const tmp = join(dir, `.${randomUUID()}.part`);
      try {
        await writeFile(tmp, bytes, { mode: 0o640 });
        await rename(tmp, join(dir, file));
      } finally {
        await rm(tmp, { force: true });
      }
      return {
        file,
        name: header.name,
        version: header.version,
        architecture: family,
        size: bytes.length,
        addedAt: new Date(),
        sha256: createHash('sha256').update(bytes).digest('hex'),
        header,
      };
    },

    /** The cached package of that name, version and architecture family, if any. */
    async find(tenantId: string, name: string, version: string, arch: string): Promise<CachedPackage | undefined> {
      const family = archFamily(arch);
      return (await list(tenantId)).find((p) => p.name === name && p.version === version && p.architecture === family);
    },

    async read(tenantId: string, p: CachedPackage): Promise<Buffer> {
      return readFile(join(dirOf(tenantId), p.file));
    },
  };
}
export type PackageCache = ReturnType<typeof createPackageCache>;

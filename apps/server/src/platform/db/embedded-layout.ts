import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { EmbeddedPgError } from './embedded-process.js';

// As root, PostgreSQL runs as the `postgres` user (it refuses root). That user must reach both the binaries and the
// cluster. A checkout under /root (0700) hides node_modules from it, and a data directory there hides the cluster:
// then PostgreSQL runs from a link-copy of its binaries, and the cluster moves to a reachable place that the data
// directory remembers.

export type RunAs = { uid: number; gid: number };

/** What the data directory remembers about its embedded PostgreSQL (`<dataDir>/embedded-postgres.json`). */
export type EmbeddedState = { location?: string; port?: number };

export const stateFile = (dataDir: string) => join(dataDir, 'embedded-postgres.json');

export function readState(dataDir: string): EmbeddedState {
  try {
    return JSON.parse(readFileSync(stateFile(dataDir), 'utf8')) as EmbeddedState;
  } catch {
    return {};
  }
}

export function writeState(dataDir: string, state: EmbeddedState) {
  const file = stateFile(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o644 });
  renameSync(`${file}.tmp`, file);
}

/** The `bin` directory of the PostgreSQL that the embedded-postgres platform package ships. */
export async function packagedBinDir(): Promise<{ bin: string; version: string }> {
  const main = createRequire(import.meta.url).resolve('embedded-postgres');
  const entry = createRequire(main).resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const { postgres } = (await import(pathToFileURL(entry).href)) as { postgres: string };
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return { bin: dirname(postgres), version: pkg.version };
}

function idOf(flag: '-u' | '-g'): number | undefined {
  const r = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : undefined;
}

/** The postgres user's ids, creating a system user when there is none. */
export function postgresUser(): RunAs {
  if (idOf('-u') === undefined) {
    spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    spawnSync('useradd', ['--system', '-g', 'postgres', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'ignore',
    });
  }
  const uid = idOf('-u');
  const gid = idOf('-g');
  if (uid === undefined || gid === undefined)
    throw new EmbeddedPgError(
      'embedded_pg_no_user',
      'embedded PostgreSQL refuses to run as root and tod could not create a postgres user; create one (useradd --system postgres) or run tod as a normal user',
    );
  return { uid, gid };
}

/** Whether the postgres user can traverse into dir (every ancestor included), tested as that user. */
export function reachableBy(runAs: RunAs, dir: string): boolean {
  const r = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', dir], { ...runAs, stdio: 'ignore' });
  return r.status === 0;
}

/** Whether the postgres user can run this postgres binary (path reachable, not on a noexec mount, libraries load). */
export function runnableBy(runAs: RunAs, bin: string): boolean {
  const r = spawnSync(join(bin, 'postgres'), ['-V'], { ...runAs, stdio: 'ignore' });
  return r.status === 0;
}

/** The first folder on the way to dir that others cannot traverse, for messages. */
function blockingFolder(dir: string): string {
  const chain: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    chain.unshift(d);
    if (d === dirname(d)) break;
  }
  return chain.find((d) => existsSync(d) && (statSync(d).mode & 0o001) === 0) ?? dir;
}

/**
 * Where the cluster (`<home>/postgres`) and any copy of the binaries live: the data directory when PostgreSQL can
 * reach it, else a folder under fallbackRoot, chosen once and remembered in the data directory.
 */
export function chooseHome(o: {
  dataDir: string;
  runAs?: RunAs;
  state: EmbeddedState;
  fallbackRoot: string;
  log: Logger;
}): string {
  const { dataDir, runAs, state } = o;
  if (!runAs) return dataDir;
  if (state.location) {
    if (!reachableBy(runAs, state.location))
      throw new EmbeddedPgError(
        'embedded_pg_unreachable',
        `embedded PostgreSQL lives in ${state.location} (see ${stateFile(dataDir)}), which user postgres cannot reach; chmod o+x ${blockingFolder(state.location)}`,
      );
    return state.location;
  }
  // Traversable, not listable: the secrets beside the cluster stay 0600.
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & 0o011) !== 0o011) chmodSync(dataDir, mode | 0o011);
  if (reachableBy(runAs, dataDir)) return dataDir;
  const cluster = join(dataDir, 'postgres');
  if (existsSync(join(cluster, 'PG_VERSION')))
    throw new EmbeddedPgError(
      'embedded_pg_unreachable',
      `embedded PostgreSQL runs as user postgres, which cannot reach its data in ${cluster}; chmod o+x ${blockingFolder(dataDir)}`,
    );
  const slug = dataDir
    .replace(/[^A-Za-z0-9]+/g, '-')
    .slice(-40)
    .replace(/^-+|-+$/g, '');
  const home = join(o.fallbackRoot, `${slug}-${createHash('sha256').update(dataDir).digest('hex').slice(0, 8)}`);
  mkdirSync(o.fallbackRoot, { recursive: true, mode: 0o755 });
  mkdirSync(home, { recursive: true, mode: 0o711 });
  if (!reachableBy(runAs, home))
    throw new EmbeddedPgError(
      'embedded_pg_unreachable',
      `embedded PostgreSQL runs as user postgres, which can reach neither ${dataDir} nor ${home}; set TOD_DATA_DIR to a folder every user can traverse`,
    );
  writeState(dataDir, { ...state, location: home });
  state.location = home;
  o.log.info(
    { dir: home },
    `user postgres cannot reach ${dataDir}, so the embedded PostgreSQL lives in ${home} (remembered in ${stateFile(dataDir)})`,
  );
  return home;
}

/** Recreates a tree with hard links (copies across file systems): same bytes, reachable path. */
function linkTree(src: string, dst: string) {
  mkdirSync(dst, { mode: 0o755 });
  for (const name of readdirSync(src)) {
    const from = join(src, name);
    const to = join(dst, name);
    const st = lstatSync(from);
    if (st.isDirectory()) linkTree(from, to);
    else if (st.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else {
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
        chmodSync(to, st.mode & 0o777);
      }
    }
  }
}

/**
 * The bin directory PostgreSQL runs from: the packaged one when the postgres user can run it, else a link-copy of the
 * whole installation (bin, lib, share) in home, one per package version.
 */
export function placeBinaries(o: { bin: string; version: string; home: string; runAs?: RunAs; log: Logger }): string {
  if (!o.runAs || runnableBy(o.runAs, o.bin)) return o.bin;
  const name = `postgres-bin-${o.version}`;
  const target = join(o.home, name);
  if (!runnableBy(o.runAs, join(target, 'bin'))) {
    const tmp = `${target}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    rmSync(target, { recursive: true, force: true });
    linkTree(dirname(o.bin), tmp);
    renameSync(tmp, target);
    o.log.info({ dir: target }, `user postgres cannot reach ${o.bin}, so the embedded PostgreSQL runs from ${target}`);
  }
  for (const old of readdirSync(o.home))
    if (old.startsWith('postgres-bin-') && old !== name) rmSync(join(o.home, old), { recursive: true, force: true });
  const bin = join(target, 'bin');
  if (!runnableBy(o.runAs, bin))
    throw new EmbeddedPgError(
      'embedded_pg_unreachable',
      `user postgres cannot run ${join(bin, 'postgres')} (a noexec mount?); set TOD_DATA_DIR to a folder on a file system that allows programs`,
    );
  return bin;
}

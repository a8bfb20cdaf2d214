import { linkSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  EmbeddedPgError,
  isPostmasterOf,
  parentIsNode,
  processAlive,
  processStartTime,
  waitGone,
} from './embedded-process.js';
import { pidFileStatus } from './embedded-server.js';

const inUse = (dataDir: string, pid: number) =>
  new EmbeddedPgError(
    'embedded_pg_in_use',
    `TOD data directory ${dataDir} is in use by another running tod (pid ${pid}); stop that one first, or give this one another TOD_DATA_DIR`,
  );

function readHolder(file: string): { raw: string; pid: number; start?: string } | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, start] = raw.trim().split(/\s+/);
  return { raw, pid: Number(pid), ...(start ? { start } : {}) };
}

/** A holder is alive when its pid runs and (where /proc tells) started when the lock says: pids get reused. */
function holderAlive(h: { pid: number; start?: string }): boolean {
  if (!processAlive(h.pid)) return false;
  const now = processStartTime(h.pid);
  return h.start === undefined || now === undefined || now === h.start;
}

export type DataDirLock = { release: () => void };

/**
 * Takes `<dataDir>/tod.pid` (pid and process start time), created whole with link() so a reader never sees half a
 * file. A lock whose holder is gone (kill -9, OOM) is moved aside and taken; a live holder is refused.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = join(dataDir, 'tod.pid');
  const mine = `${process.pid} ${processStartTime(process.pid) ?? ''}\n`;
  const release = () => {
    if (readHolder(file)?.raw === mine) rmSync(file, { force: true });
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, mine, { mode: 0o644 });
    try {
      linkSync(tmp, file);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
    const held = readHolder(file);
    if (!held) continue;
    if (holderAlive(held)) throw inUse(dataDir, held.pid);
    // Stale. Move it aside atomically; if what moved is not what we judged (another start took it meanwhile),
    // put it back and look again.
    const aside = `${file}.${process.pid}.stale`;
    try {
      renameSync(file, aside);
    } catch {
      continue;
    }
    if (readFileSync(aside, 'utf8') !== held.raw) {
      try {
        linkSync(aside, file);
      } catch {}
    }
    unlinkSync(aside);
  }
  throw new EmbeddedPgError('embedded_pg_in_use', `could not take the lock ${file}; another tod keeps starting there`);
}

/**
 * With the data directory locked, a postmaster still running on our cluster was left by a tod that died (kill -9,
 * OOM): stop it the way `pg_ctl stop -m fast` does (SIGINT), then immediate (SIGQUIT) if it hangs. A pid file whose
 * pid is gone or now names another program is removed, or PostgreSQL would refuse to start.
 */
export async function stopOrphanPostmaster(dataDir: string, cluster: string, log: Logger): Promise<void> {
  const pidFile = join(cluster, 'postmaster.pid');
  const pid = pidFileStatus(cluster)?.pid;
  if (pid === undefined) return;
  const ours = processAlive(pid) ? isPostmasterOf(pid, cluster) : false;
  if (ours === false) {
    rmSync(pidFile, { force: true });
    return;
  }
  if (ours === undefined)
    throw new EmbeddedPgError(
      'embedded_pg_in_use',
      `embedded PostgreSQL in ${cluster} is still running (pid ${pid}); stop it (kill -INT ${pid}) and start tod again`,
    );
  // A postmaster whose parent is a live node process belongs to a tod that holds no lock (an older version).
  if (parentIsNode(pid)) throw inUse(dataDir, pid);
  log.warn({ postmaster: pid, dir: cluster }, 'stopping the embedded PostgreSQL left running by a tod that died');
  process.kill(pid, 'SIGINT');
  if (await waitGone(pid, 60_000)) return;
  process.kill(pid, 'SIGQUIT');
  if (await waitGone(pid, 10_000)) return;
  throw new EmbeddedPgError(
    'embedded_pg_in_use',
    `the embedded PostgreSQL left running in ${cluster} (pid ${pid}) does not stop; kill -9 ${pid} and start tod again`,
  );
}

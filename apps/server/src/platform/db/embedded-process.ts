import { readFileSync, readlinkSync } from 'node:fs';
import { basename, resolve } from 'node:path';

/** A start-up problem of the embedded PostgreSQL, with a stable code and a one-sentence message for the operator. */
export class EmbeddedPgError extends Error {
  constructor(
    public readonly code:
      | 'embedded_pg_in_use'
      | 'embedded_pg_port_in_use'
      | 'embedded_pg_unreachable'
      | 'embedded_pg_no_user'
      | 'embedded_pg_failed',
    message: string,
  ) {
    super(message);
    this.name = 'EmbeddedPgError';
  }
}

/** Fields of /proc/<pid>/stat after the command name (field 3 = index 0), or undefined without /proc. */
function statFields(pid: number): string[] | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Clock ticks since boot when the process started: with the pid, it names one process even if the pid is reused. */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

export function parentPid(pid: number): number | undefined {
  const f = statFields(pid);
  return f ? Number(f[1]) : undefined;
}

/** True while the process exists and is not a zombie (an orphan's zombie may wait long for a reaper). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = statFields(pid)?.[0];
  return state !== 'Z' && state !== 'X';
}

export function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** Whether pid is a postgres server started with `-D <cluster>`; undefined when /proc cannot tell. */
export function isPostmasterOf(pid: number, cluster: string): boolean | undefined {
  const args = commandLine(pid);
  if (!args) return undefined;
  const d = args.indexOf('-D');
  return basename(args[0] ?? '') === 'postgres' && d >= 0 && resolve(args[d + 1] ?? '') === resolve(cluster);
}

/** Whether a node process (a tod of any version) is the parent of pid: then the postmaster is not an orphan. */
export function parentIsNode(pid: number): boolean {
  const ppid = parentPid(pid);
  if (!ppid || ppid === 1 || !processAlive(ppid)) return false;
  try {
    const exe = readlinkSync(`/proc/${ppid}/exe`);
    return exe === process.execPath || basename(exe).startsWith('node');
  } catch {
    return false;
  }
}

export async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (processAlive(pid)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

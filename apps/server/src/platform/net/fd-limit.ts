import { readFileSync } from 'node:fs';

// A poller keeps one socket per device it polls (plus a few for the database, the bus and logs): below the
// process's open-file limit that share does not fit, and connects fail with EMFILE. Linux only (/proc); elsewhere
// the limit is unknown and nothing is checked.

/** The soft limit on open files of this process, or undefined where it cannot be read. */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    if (soft === 'unlimited') return Number.POSITIVE_INFINITY;
    const n = Number(soft);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** File descriptors a poller holding `devices` sessions needs: one each, plus room for pools, the bus and logs. */
export const descriptorsNeeded = (devices: number) => devices + 256;

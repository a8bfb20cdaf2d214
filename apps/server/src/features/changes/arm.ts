import { randomBytes } from 'node:crypto';
import { TrapError } from '@tod/routeros';
import type { Io } from './device-io.js';

// The on-device revert, armed before anything is applied.
//
// Safe mode (RouterOS 7.18+ over the API): taken on the operation's own session; the router undoes every change
// made since (from any session) if that session ends without a release. Detected by trying it: a router without it
// answers "no such command". RouterOS keeps about 100 actions of safe-mode history and silently leaves safe mode
// (undoing nothing) past that, so a change of more commands uses the watchdog instead.
//
// Watchdog (every other router): a binary backup saved on the device right before the change, and a
// `/system/scheduler` item with a relative `interval` (no wall clock: many routers have no NTP) whose script loads
// that backup. Loading a backup reboots the router into exactly the configuration it had before the change —
// users, certificates and all — whatever the change did to it, even if it cut every way in; and since the
// scheduler item was added after the backup was saved, the reboot removes the watchdog too. A script of inverse
// commands would avoid the reboot but can itself fail half-way on a config the change broke; the backup cannot.
// TOD removes the watchdog when the change is confirmed, and when it reverts by itself while it still reaches the
// router it applies the inverse commands first (no reboot) and loads the backup only if that did not restore it.

export const SAFE_MODE_HISTORY = 90; // RouterOS: ~100 actions; keep a margin (an unset of two values is two).

const noSuchCommand = (e: unknown) => e instanceof TrapError && /no such command|unknown command/i.test(e.trapMessage);

/** Takes safe mode on this session; false when the router has no scriptable safe mode. */
export async function takeSafeMode(io: Io): Promise<boolean> {
  io.trips.n++;
  try {
    await io.client.command('/safe-mode/take');
    return true;
  } catch (e) {
    if (noSuchCommand(e)) return false;
    throw e;
  }
}

export async function releaseSafeMode(io: Io): Promise<void> {
  io.trips.n++;
  await io.client.command('/safe-mode/release');
}

export async function unrollSafeMode(io: Io): Promise<void> {
  io.trips.n++;
  await io.client.command('/safe-mode/unroll', {}, { timeoutMs: 5000 });
}

export type Watchdog = { name: string; file: string; password: string | null };

/** Names are per operation, so a resumed operation finds (and removes) what an earlier attempt left. */
export const watchdogName = (operationId: string, generation = 0) =>
  `tod-revert-${operationId.slice(-12)}${generation ? `-${generation}` : ''}`;

const script = (w: Watchdog) => `/system backup load name=${w.file}${w.password ? ` password=${w.password}` : ''}`;

/** Saves the revert backup on the device (before 6.43 RouterOS always encrypts: with a password of TOD's). */
export async function saveRevertBackup(io: Io, operationId: string): Promise<Watchdog> {
  const name = watchdogName(operationId);
  const w: Watchdog = { name, file: `${name}.backup`, password: null };
  io.trips.n++;
  try {
    await io.client.command('/system/backup/save', { name, 'dont-encrypt': 'yes' });
  } catch (e) {
    if (!(e instanceof TrapError)) throw e;
    w.password = randomBytes(12).toString('hex');
    io.trips.n++;
    await io.client.command('/system/backup/save', { name, password: w.password });
  }
  return w;
}

/** Adds the scheduler item that loads the backup in `seconds` unless removed first. */
export async function addWatchdog(io: Io, w: Watchdog, itemName: string, seconds: number): Promise<void> {
  io.trips.n++;
  await io.client.command('/system/scheduler/add', {
    name: itemName,
    interval: `${Math.max(10, Math.ceil(seconds))}s`,
    'on-event': script(w),
    policy: 'ftp,reboot,read,write,policy,test,password,sniff,sensitive',
    comment: 'TOD: reverts an unconfirmed change; removed when the change is confirmed',
  });
}

/** Removes every scheduler item of the operation and its backup file; safe to repeat. */
export async function disarmWatchdog(io: Io, operationId: string): Promise<void> {
  const base = watchdogName(operationId);
  io.trips.n++;
  const items = (await io.client.command('/system/scheduler/print', {}, { proplist: ['.id', 'name'] })) as Array<
    Record<string, string>
  >;
  const mine = items.filter((i) => i.name === base || i.name?.startsWith(`${base}-`)).map((i) => i['.id'] ?? '');
  if (mine.length) {
    io.trips.n++;
    await io.client.command('/system/scheduler/remove', { numbers: mine.join(',') });
  }
  await removeFile(io, `${base}.backup`);
}

/** Removes a file TOD put on the device, if it is there. */
export async function removeFile(io: Io, name: string): Promise<void> {
  io.trips.n++;
  const files = (await io.client.command('/file/print', {}, { proplist: ['.id', 'name'] })) as Array<
    Record<string, string>
  >;
  const ids = files.filter((f) => f.name === name).map((f) => f['.id'] ?? '');
  if (ids.length) {
    io.trips.n++;
    await io.client.command('/file/remove', { numbers: ids.join(',') });
  }
}

/** Whether the watchdog item is still on the device (false after it fired: the reboot removed it). */
export async function watchdogArmed(io: Io, operationId: string): Promise<boolean> {
  const base = watchdogName(operationId);
  io.trips.n++;
  const items = (await io.client.command('/system/scheduler/print', {}, { proplist: ['name'] })) as Array<
    Record<string, string>
  >;
  return items.some((i) => i.name === base || i.name?.startsWith(`${base}-`));
}

/** Loads the revert backup now (the router reboots; the session drops without an answer). */
export async function loadRevertBackup(io: Io, w: Watchdog): Promise<void> {
  io.trips.n++;
  await io.client
    .command(
      '/system/backup/load',
      { name: w.file, ...(w.password ? { password: w.password } : {}) },
      { timeoutMs: 5000 },
    )
    .catch(() => {});
}

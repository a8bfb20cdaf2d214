import { type RouterOSClient, TrapError } from '@tod/routeros';
import { AppError } from '../../platform/http/errors.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import type { DeviceRef } from '../device-access/leases.js';
import { StepFailed } from '../rollouts/kinds.js';
import { type Inventory, readInventory } from './collect.js';

// What an upgrade does on the router, one piece each: set the channel, download through its own updater, clear
// leftover package files, upload packages over SFTP, reboot (and see it go down), wait for it to come back.

const REBOOT_SEEN_MS = 60_000;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 10_000;
const DOWNLOADED = /^Downloaded, please reboot/i;
const NO_SPACE = /not enough (disk )?space/i;

/** A wait that ends early (rejecting with the signal's reason) when the step is aborted. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * An API session for an upgrade: a StepFailed thrown inside keeps its code (device access would turn anything
 * that is not its own failure into `error`).
 */
export async function withRouter<T>(
  access: DeviceAccess,
  ref: DeviceRef,
  fn: (c: RouterOSClient) => Promise<T>,
): Promise<T> {
  let failed: StepFailed | undefined;
  const out = await access.withApi(ref, 'firmware', async (c) => {
    try {
      return await fn(c);
    } catch (e) {
      if (!(e instanceof StepFailed)) throw e;
      failed = e;
      return undefined;
    }
  });
  if (failed) throw failed;
  return out as T;
}

/** The router's status words in an error message: one line, bounded. */
const said = (s: string | null | undefined) => (s ?? 'no answer').replace(/\s+/g, ' ').slice(0, 200);

export async function setChannel(c: RouterOSClient, channel: string, signal: AbortSignal): Promise<void> {
  await c.command('/system/package/update/set', { channel }, { signal });
}

/**
 * `/system/package/update/download`: the router fetches the packages its channel offers into its file store. Its
 * status rows end in "Downloaded, please reboot…" or an `ERROR:` line (not a trap).
 */
export async function download(c: RouterOSClient, signal: AbortSignal, timeoutMs: number): Promise<void> {
  const rows = await c.command('/system/package/update/download', {}, { signal, timeoutMs });
  const status = rows.at(-1)?.status ?? null;
  if (status && DOWNLOADED.test(status)) return;
  if (status && NO_SPACE.test(status))
    throw new StepFailed('not_enough_space', `the router has no room for the packages: ${said(status)}`);
  throw new StepFailed('download_failed', `the router's download failed: ${said(status)}`);
}

/**
 * Removes package files waiting in the root of the file store: a reboot installs the newest one there, so a
 * leftover (an earlier download, a file someone put there) would install instead of the version planned.
 */
export async function removePackageFiles(c: RouterOSClient, signal: AbortSignal): Promise<void> {
  const files = await c.command('/file/print', {}, { signal, proplist: ['.id', 'name'] });
  const ids = files
    .filter((f) => f.name?.endsWith('.npk') && !f.name.includes('/') && f['.id'])
    .map((f) => f['.id'] as string);
  if (ids.length) await c.command('/file/remove', { numbers: ids.join(',') }, { signal });
}

/** Uploads package files into the root of the file store (SFTP), each checked by its size afterwards. */
export async function uploadPackages(
  access: DeviceAccess,
  ref: DeviceRef,
  files: Array<{ name: string; bytes: Buffer }>,
): Promise<void> {
  // Failures leave the session as values: device access would turn a StepFailed into `error`.
  const failed = await access.withSsh(ref, 'firmware', async (s) => {
    for (const f of files) {
      try {
        await s.writeFile(f.name, f.bytes);
      } catch (e) {
        if (e instanceof AppError && e.code === 'error')
          return new StepFailed('upload_failed', `the router refused ${f.name} (not enough room?)`);
        throw e;
      }
      const st = await s.stat(f.name);
      if (st?.size !== f.bytes.length)
        return new StepFailed('upload_failed', `${f.name} arrived with ${st?.size ?? 0} of ${f.bytes.length} bytes`);
    }
    return undefined;
  });
  if (failed) throw failed;
}

/**
 * `/system/reboot` (or another command that reboots), then waits for the router to close the session: proof that it
 * went down. A router that keeps the session `REBOOT_SEEN_MS` did not reboot.
 */
export async function rebootAndSeeDown(
  access: DeviceAccess,
  ref: DeviceRef,
  signal: AbortSignal,
  command: string = '/system/reboot',
): Promise<void> {
  const seen = await access.withApi(ref, 'firmware', async (c) => {
    const closed = new Promise<boolean>((resolve) => {
      if (c.closed) return resolve(true);
      const t = setTimeout(() => resolve(false), REBOOT_SEEN_MS);
      c.once('close', () => {
        clearTimeout(t);
        resolve(true);
      });
      signal.addEventListener('abort', () => resolve(false), { once: true });
    });
    // A step aborted meanwhile (its process stopping) must not reboot a router another run now owns.
    signal.throwIfAborted();
    // No answer comes: the router drops every session as it goes down.
    c.command(command, {}, { timeoutMs: 0 }).catch(() => {});
    return closed;
  });
  signal.throwIfAborted();
  if (!seen)
    throw new StepFailed(
      'reboot_not_seen',
      `the router did not go down within ${REBOOT_SEEN_MS / 1000} s of ${command}`,
    );
}

/**
 * Waits for the router to answer again and reads what it runs: connect attempts with a growing pause (½ s … 10 s),
 * until the step's deadline aborts it (a router that never comes back fails there, never blocking the others).
 */
export async function waitForReturn(access: DeviceAccess, ref: DeviceRef, signal: AbortSignal): Promise<Inventory> {
  let pause = BACKOFF_FIRST_MS;
  for (;;) {
    signal.throwIfAborted();
    try {
      return await access.withApi(ref, 'firmware', (c) => readInventory(c, signal), { waitMs: 10_000 });
    } catch (e) {
      signal.throwIfAborted();
      // Refused, timed out, dropped mid-login, sessions still held by the ones that died with the reboot, a menu
      // not up yet: it is coming back (or never will: the deadline decides).
      if (!(e instanceof AppError) && !(e instanceof TrapError)) throw e;
    }
    await sleep(pause, signal);
    pause = Math.min(pause * 2, BACKOFF_MAX_MS);
  }
}

/** Why the last boot left a package alone, as the router logged it (`package X not installed: …`), if it did. */
export async function installFailureReason(c: RouterOSClient, signal: AbortSignal): Promise<string | undefined> {
  const rows = await c.command('/log/print', {}, { signal, proplist: ['message'] });
  const hit = rows
    .map((r) => r.message ?? '')
    .filter((m) => /^package .* (not installed|removed)/.test(m))
    .at(-1);
  return hit ? said(hit) : undefined;
}

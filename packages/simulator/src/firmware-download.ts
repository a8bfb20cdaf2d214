// `/system/package/update/download` (and `check-for-updates`): the router asks the update server, then fetches
// the packages of the offered version into its file store, reporting progress as status lines. The download runs
// on the router, not in the API session: a client that goes away does not stop it, and a second `download` (or
// `install`) follows the running one. A reboot stops it (what was not complete is lost with the RAM).
import type { Device } from './device.js';
import { fileSize, findFile } from './files.js';
import {
  channelOf,
  compareVersions,
  downloadPlan,
  type FirmwareState,
  firmwareOf,
  offeredVersion,
  type PlannedPackage,
  packageRoom,
} from './firmware.js';
import { buildNpk } from './npk.js';
import type { Row } from './query.js';
import { formatDateTime } from './values.js';

// Statuses as RouterOS words them in `/system/package/update` (checked against recorded replies where noted).
export const FINDING_OUT = 'finding out latest version...';
export const NEW_VERSION = 'New version is available';
export const UP_TO_DATE = 'System is already up to date';
export const CALCULATING = 'calculating download size...';
export const DOWNLOADING = 'downloading...';
export const DOWNLOADED = 'Downloaded, please reboot router to upgrade it';
export const REBOOTING = 'Downloaded, rebooting...';
export const NO_DNS = 'ERROR: could not resolve dns name';
export const NO_SPACE = 'ERROR: not enough disk space';
export const TIMED_OUT = 'ERROR: connection timed out';

/** Default durations: a check, a download (all packages), in milliseconds. */
const CHECK_MS = 300;
const DOWNLOAD_MS = 5000;
const STEPS = 10;

/** The `/system/package/update` row now, optionally with a status of the moment. */
export function updateRow(d: Device, status?: string): Row {
  const u = firmwareOf(d).update;
  const row: Row = { channel: channelOf(d), 'installed-version': d.version.text };
  if (u.latest !== undefined) row['latest-version'] = u.latest;
  const s = status ?? u.status;
  if (s !== undefined) row.status = s;
  return row;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function faultText(v: boolean | string | undefined, fallback: string): string | undefined {
  return v === undefined || v === false ? undefined : v === true ? fallback : v;
}

/** How a check or download ended: `downloaded` (the files are there), `checked`, or `failed` (an error, or nothing newer). */
export type Outcome = 'checked' | 'downloaded' | 'failed';
/** A status line of a running check or download; the last one carries how it ended. */
export type Progress = (status: string, end?: Outcome) => void;

/** `check-for-updates`: `finding out latest version...`, then the result (or the error without internet). */
export async function checkForUpdates(d: Device, say: Progress): Promise<void> {
  const u = firmwareOf(d).update;
  u.status = FINDING_OUT;
  say(FINDING_OUT);
  await pause(d.spec.updateCheckMs ?? CHECK_MS);
  say(...finishCheck(d));
}

function finishCheck(d: Device): [string, Outcome] {
  const u = firmwareOf(d).update;
  const err = faultText(d.faults.noInternet, NO_DNS);
  if (err) {
    delete u.latest;
    u.status = err;
    return [err, 'failed'];
  }
  u.latest = offeredVersion(d);
  u.status = compareVersions(u.latest, d.version.text) > 0 ? NEW_VERSION : UP_TO_DATE;
  return [u.status, 'checked'];
}

interface Job {
  listeners: Set<Progress>;
  aborted: boolean;
  abort(): void;
}

/** Starts the download, or follows the one running; `say` gets every status line from now on. */
export function download(d: Device, say: Progress): () => void {
  const st = firmwareOf(d);
  const running = st.download as Job | undefined;
  if (running) {
    if (st.update.status !== undefined) say(st.update.status);
    running.listeners.add(say);
    return () => running.listeners.delete(say);
  }
  const job: Job = {
    listeners: new Set([say]),
    aborted: false,
    abort() {
      job.aborted = true;
      job.listeners.clear();
    },
  };
  st.download = job;
  run(d, st, job).finally(() => {
    if (st.download === job) delete st.download;
  });
  return () => job.listeners.delete(say);
}

async function run(d: Device, st: FirmwareState, job: Job): Promise<void> {
  const u = st.update;
  const emit: Progress = (status, end) => {
    if (job.aborted) return;
    u.status = status;
    for (const l of [...job.listeners]) l(status, end);
  };
  // The updater asks the server first unless a check just did.
  if (u.latest === undefined) {
    emit(FINDING_OUT);
    await pause(d.spec.updateCheckMs ?? CHECK_MS);
    if (job.aborted) return;
  }
  const [status, outcome] = finishCheck(d);
  if (outcome === 'failed') return emit(status, 'failed');
  const version = u.latest as string;
  if (compareVersions(version, d.version.text) <= 0) return emit(UP_TO_DATE, 'failed');
  emit(CALCULATING);
  const plan = downloadPlan(d, version);
  if (needed(d, plan) > packageRoom(d)) return emit(NO_SPACE, 'failed');
  emit(DOWNLOADING);
  const total = plan.reduce((n, p) => n + p.bytes, 0);
  const failAt = faultText(d.faults.downloadFails, TIMED_OUT) ? Math.ceil(STEPS * 0.4) : undefined;
  for (let i = 1; i < STEPS; i++) {
    await pause((d.spec.downloadMs ?? DOWNLOAD_MS) / STEPS);
    if (job.aborted) return;
    if (i === failAt) return emit(faultText(d.faults.downloadFails, TIMED_OUT) as string, 'failed');
    emit(`Downloaded ${Math.floor((i * 100) / STEPS)}% (${((total * i) / STEPS / 1048576).toFixed(1)}MiB)`);
  }
  await pause((d.spec.downloadMs ?? DOWNLOAD_MS) / STEPS);
  if (job.aborted) return;
  // The files land whole at the end (room checked again: something may have filled it meanwhile).
  if (needed(d, plan) > packageRoom(d)) return emit(NO_SPACE, 'failed');
  for (const p of plan) writePackage(d, p);
  emit(DOWNLOADED, 'downloaded');
}

/** Bytes the plan adds to the file store (a file of the same name is replaced). */
function needed(d: Device, plan: PlannedPackage[]): number {
  return plan.reduce((n, p) => {
    const old = findFile(d, p.file);
    return n + p.bytes - (old ? fileSize(old) : 0);
  }, 0);
}

/** A downloaded package in `/file`: a real package header, shown at the package's real size. */
function writePackage(d: Device, p: PlannedPackage): void {
  const old = findFile(d, p.file);
  if (old) d.store.remove('/file', old);
  const props = new Map([
    ['name', p.file],
    ['type', 'package'],
    ['size', String(p.bytes)],
    ['creation-time', formatDateTime(new Date(), d.behaviour.isoDates)],
    ['package-name', p.npkName],
    ['package-version', p.version],
    ['package-architecture', p.npkArch],
  ]);
  d.store.add('/file', props, { data: buildNpk({ name: p.npkName, version: p.version, architecture: p.npkArch }) });
}

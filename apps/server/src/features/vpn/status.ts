import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { withSystem } from '../../platform/db/tx.js';
import { type Dump, parseDump } from './dump.js';
import type { VpnSettings } from './settings.js';
import { vpnRepo } from './vpn.repo.js';
import { showAllDump } from './wg-tool.js';

// Handshakes and transfer counters for the UI, every half minute by one worker: `wg show all dump` where `wg` runs
// here and sees TOD's interfaces; else the dump a separate gateway leaves in the directory (`wg-show.dump`, written
// by its timer; README), if it is fresh. Only TOD's interfaces (`todwg<n>`) are read.

export const DUMP_FILE = 'wg-show.dump';
const FRESH_MS = 5 * 60_000;
const OURS = /^todwg\d+$/;

export type StatusSource = 'wg' | 'file';

async function fromFile(dir: string): Promise<Dump | undefined> {
  const path = join(dir, DUMP_FILE);
  const s = await stat(path).catch(() => undefined);
  if (!s || Date.now() - s.mtimeMs > FRESH_MS || s.size > 64 * 1024 * 1024) return undefined;
  return parseDump(await readFile(path, 'utf8'));
}

const ours = (d: Dump | undefined) => (d?.interfaces.some((i) => OURS.test(i.interface)) ? d : undefined);

export async function readStatus(
  systemPool: pg.Pool,
  settings: Pick<VpnSettings, 'dir'>,
): Promise<{ source: StatusSource | null; peers: number }> {
  const local = await showAllDump();
  let dump = ours(local === undefined ? undefined : parseDump(local));
  let source: StatusSource = 'wg';
  if (!dump) {
    dump = ours(await fromFile(settings.dir));
    source = 'file';
  }
  if (!dump) return { source: null, peers: 0 };
  const interfaces = dump.interfaces.map((i) => i.interface).filter((i) => OURS.test(i));
  const rows = dump.peers
    .filter((p) => OURS.test(p.interface))
    .map((p) => ({
      interface: p.interface,
      public_key: p.publicKey,
      handshake: p.latestHandshake?.toISOString() ?? null,
      rx: String(p.rxBytes),
      tx: String(p.txBytes),
      endpoint: p.endpoint,
    }));
  const peers = await withSystem(systemPool, (db) => vpnRepo.systemStatus(db, interfaces, rows));
  return { source, peers };
}

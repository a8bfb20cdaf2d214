import type pg from 'pg';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { KeyUse } from './key-use.js';

// The key-access log's writer. Every use of a data key is recorded here synchronously in memory, never as a row per
// call: the poller may open credentials for 10,000 devices a minute. Identical uses (tenant, op, actor, key, object,
// purpose) within a period (KEY_ACCESS_PERIOD_SECONDS, a minute by default) are one entry with a count; every
// FLUSH_MS the entries are upserted in one statement per chunk (a later flush of the same period adds to the row's
// count). A longer period bounds the rows a fleet makes: at most one per object, actor and purpose per period.
//
// Crash window: entries recorded since the last successful flush (at most FLUSH_MS, plus whatever a failed flush put
// back) are lost if the process dies without stop() — a SIGKILL or a power cut. stop() (the runtime's shutdown)
// flushes them. The buffer is bounded: beyond MAX_ENTRIES distinct entries new uses are counted as dropped
// (mikrotik_key_access_dropped_total) and a warning is logged, so a database outage cannot grow memory without end.

export type KeyOp = 'encrypt' | 'decrypt' | 'unwrap' | 'generate' | 'rotate' | 'rewrap';

export type KeyAccess = {
  tenantId: string;
  op: KeyOp;
  use: KeyUse;
  provider: string;
  keyVersion: number;
  /** The ciphertext's context (`device:<id>:password`), or `tenant_key` for key management. */
  object: string;
};

type Entry = {
  tenantId: string;
  periodStart: number;
  op: KeyOp;
  actorKind: string;
  actorId: string | null;
  actorLabel: string;
  provider: string;
  keyVersion: number;
  object: string;
  purpose: string;
  count: number;
  firstAt: number;
  lastAt: number;
};

const FLUSH_MS = 2_000;
const MAX_ENTRIES = 50_000;
const CHUNK = 2_000;
const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export type KeyAccessLog = ReturnType<typeof createKeyAccessLog>;

export function createKeyAccessLog(deps: {
  systemPool: pg.Pool;
  log: Logger;
  registry?: Registry;
  flushMs?: number;
  maxEntries?: number;
  /** Length of a row's period (default a minute). */
  periodMs?: number;
}) {
  const period = deps.periodMs ?? 60_000;
  const max = deps.maxEntries ?? MAX_ENTRIES;
  const registers = deps.registry ? [deps.registry] : [];
  const recorded = new Counter({
    name: 'mikrotik_key_access_recorded_total',
    help: 'Uses of tenant data keys recorded in the key-access log, by operation',
    labelNames: ['op'] as const,
    registers,
  });
  const dropped = new Counter({
    name: 'mikrotik_key_access_dropped_total',
    help: 'Uses of tenant data keys not recorded because the key-access log buffer was full',
    registers,
  });
  let buffer = new Map<string, Entry>();
  let droppedSinceWarn = 0;
  let flushing: Promise<void> = Promise.resolve();
  let stopped = false;

  function add(e: Entry) {
    const k = [
      e.tenantId,
      e.periodStart,
      e.op,
      e.actorKind,
      e.actorId,
      e.actorLabel,
      e.provider,
      e.keyVersion,
      e.object,
      e.purpose,
    ].join('\u0000');
    const had = buffer.get(k);
    if (had) {
      had.count += e.count;
      had.firstAt = Math.min(had.firstAt, e.firstAt);
      had.lastAt = Math.max(had.lastAt, e.lastAt);
      return true;
    }
    if (buffer.size >= max) return false;
    buffer.set(k, e);
    return true;
  }

  function record(a: KeyAccess, count = 1) {
    const now = Date.now();
    const ok = add({
      tenantId: a.tenantId,
      periodStart: now - (now % period),
      op: a.op,
      actorKind: a.use.actor.kind,
      actorId: a.use.actor.id === null ? null : cut(a.use.actor.id, 200),
      actorLabel: cut(a.use.actor.label, 200),
      provider: cut(a.provider, 40),
      keyVersion: a.keyVersion,
      object: cut(a.object, 200),
      purpose: cut(a.use.purpose, 60),
      count,
      firstAt: now,
      lastAt: now,
    });
    if (ok) recorded.inc({ op: a.op }, count);
    else {
      dropped.inc(count);
      droppedSinceWarn += count;
    }
  }

  async function write(entries: Entry[]) {
    for (let i = 0; i < entries.length; i += CHUNK) {
      const part = entries.slice(i, i + CHUNK);
      const col = <T>(f: (e: Entry) => T) => part.map(f);
      await deps.systemPool.query(
        `insert into key_access_log (tenant_id, period_start, op, actor_kind, actor_id, actor_label, provider, key_version,
                                     object, purpose, count, first_at, last_at)
         select * from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                              $7::text[], $8::int[], $9::text[], $10::text[], $11::int[], $12::timestamptz[],
                              $13::timestamptz[])
         on conflict on constraint key_access_log_period_key do update
           set count = key_access_log.count + excluded.count,
               first_at = least(key_access_log.first_at, excluded.first_at),
               last_at = greatest(key_access_log.last_at, excluded.last_at)`,
        [
          col((e) => e.tenantId),
          col((e) => new Date(e.periodStart)),
          col((e) => e.op),
          col((e) => e.actorKind),
          col((e) => e.actorId),
          col((e) => e.actorLabel),
          col((e) => e.provider),
          col((e) => e.keyVersion),
          col((e) => e.object),
          col((e) => e.purpose),
          col((e) => e.count),
          col((e) => new Date(e.firstAt)),
          col((e) => new Date(e.lastAt)),
        ],
      );
    }
  }

  async function flushOnce() {
    if (droppedSinceWarn > 0) {
      deps.log.warn(
        { dropped: droppedSinceWarn, buffered: buffer.size },
        'key-access log buffer full: uses were not recorded',
      );
      droppedSinceWarn = 0;
    }
    if (buffer.size === 0) return;
    const entries = [...buffer.values()];
    buffer = new Map();
    try {
      await write(entries);
    } catch (err) {
      // Put them back for the next flush, within the bound; what does not fit is counted as dropped.
      let lost = 0;
      for (const e of entries) if (!add(e)) lost += e.count;
      if (lost) dropped.inc(lost);
      deps.log.warn({ err, entries: entries.length, lost }, 'key-access log could not be written; retrying');
    }
  }

  /** Writes what is buffered (one flush at a time). */
  const flush = () => {
    flushing = flushing.then(flushOnce);
    return flushing;
  };

  const timer = setInterval(() => {
    if (!stopped) void flush();
  }, deps.flushMs ?? FLUSH_MS);
  timer.unref();

  return {
    record,
    flush,
    /** Entries waiting for the next flush. */
    get pending() {
      return buffer.size;
    },
    /** Stops the timer and writes what is left (the runtime's shutdown, before the pools close). */
    async stop() {
      stopped = true;
      clearInterval(timer);
      await flush();
    },
  };
}

/**
 * Removes periods older than the retention (the transparency feature's schedule), in batches so no one statement
 * holds locks on millions of rows.
 */
export async function pruneKeyAccessLog(systemPool: pg.Pool, retentionDays: number, batch = 10_000): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await systemPool.query(
      `delete from key_access_log where id in (
         select id from key_access_log where period_start < now() - make_interval(days => $1::int) limit $2)`,
      [retentionDays, batch],
    );
    total += r.rowCount ?? 0;
    if ((r.rowCount ?? 0) < batch) return total;
  }
}

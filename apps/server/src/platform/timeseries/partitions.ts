import type pg from 'pg';

// Daily range partitions for the time-series tables: made ahead, dropped whole for retention. Runs as the owner
// (partitions are DDL). Every direct grant on a new partition is revoked: the `app` role must go through the
// parent, where row-level security applies; a partition has no policy of its own.

export type SeriesTable = { name: string; retentionDays: number };

export type RetentionDays = { raw: number; fiveMinute: number; hourly: number };

export function seriesTables(r: RetentionDays): SeriesTable[] {
  return [
    { name: 'metrics_health', retentionDays: r.raw },
    { name: 'metrics_interface', retentionDays: r.raw },
    { name: 'metrics_health_5m', retentionDays: r.fiveMinute },
    { name: 'metrics_interface_5m', retentionDays: r.fiveMinute },
    { name: 'metrics_health_1h', retentionDays: r.hourly },
    { name: 'metrics_interface_1h', retentionDays: r.hourly },
    // Wireless signal per client (features/wireless): raw for the 24-hour chart, hourly for 7 and 30 days.
    { name: 'wireless_signal', retentionDays: Math.max(r.raw, 2) },
    { name: 'wireless_signal_1h', retentionDays: Math.max(r.hourly, 31) },
  ];
}

const DAY_MS = 86_400_000;

function utcDay(ms: number): Date {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS);
}

function suffix(d: Date): string {
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * Creates partitions from `behindDays` days ago (so a worker that was down for a while can still write late rows,
 * within retention) to `aheadDays` days ahead. Idempotent; safe from several processes (IF NOT EXISTS, and a
 * concurrent CREATE that loses simply fails that one statement, retried at the next run).
 */
export async function ensurePartitions(
  owner: pg.Pool,
  tables: SeriesTable[],
  opts: { now?: number; aheadDays?: number; behindDays?: number } = {},
): Promise<string[]> {
  const now = opts.now ?? Date.now();
  const created: string[] = [];
  const existing = new Set(
    (
      await owner.query<{ relname: string }>(
        `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
           join pg_class p on p.oid = i.inhparent where p.relname = any($1)`,
        [tables.map((t) => t.name)],
      )
    ).rows.map((r) => r.relname),
  );
  for (const t of tables) {
    const behind = Math.min(opts.behindDays ?? 1, t.retentionDays);
    for (let k = -behind; k <= (opts.aheadDays ?? 2); k++) {
      const from = utcDay(now + k * DAY_MS);
      const to = new Date(from.getTime() + DAY_MS);
      const part = `${t.name}_${suffix(from)}`;
      if (existing.has(part)) continue;
      const c = await owner.connect();
      try {
        await c.query('begin');
        await c.query(
          `create table if not exists ${part} partition of ${t.name}
             for values from ('${from.toISOString()}') to ('${to.toISOString()}')`,
        );
        await c.query(`revoke all on ${part} from app, system`);
        await c.query('commit');
        created.push(part);
      } catch (err) {
        await c.query('rollback').catch(() => {});
        // Another process made it between our check and our CREATE: nothing to do.
        if (!/already exists|would overlap/.test((err as Error).message)) throw err;
      } finally {
        c.release();
      }
    }
  }
  return created;
}

/** Drops whole partitions that end before now - retention. Returns the dropped names. */
export async function dropExpiredPartitions(
  owner: pg.Pool,
  tables: SeriesTable[],
  now = Date.now(),
): Promise<string[]> {
  const dropped: string[] = [];
  for (const t of tables) {
    const cutoff = utcDay(now - t.retentionDays * DAY_MS).getTime();
    const parts = await owner.query<{ relname: string }>(
      `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
         join pg_class p on p.oid = i.inhparent where p.relname = $1`,
      [t.name],
    );
    for (const { relname } of parts.rows) {
      const m = relname.slice(t.name.length + 1).match(/^(\d{4})(\d{2})(\d{2})$/);
      if (!m) continue;
      const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      // The partition covers [start, start + 1 day); drop when all of it is older than the cutoff.
      if (start + DAY_MS <= cutoff) {
        await owner.query(`drop table if exists ${relname}`);
        dropped.push(relname);
      }
    }
  }
  return dropped;
}

/** The retention settings of the time series, from the validated environment. */
export function retentionOf(config: {
  METRICS_RAW_RETENTION_DAYS: number;
  METRICS_5M_RETENTION_DAYS: number;
  METRICS_1H_RETENTION_DAYS: number;
}): RetentionDays {
  return {
    raw: config.METRICS_RAW_RETENTION_DAYS,
    fiveMinute: config.METRICS_5M_RETENTION_DAYS,
    hourly: config.METRICS_1H_RETENTION_DAYS,
  };
}

import type { Db } from '../../platform/db/tx.js';
import type { PollResult } from '../poller/types.js';
import { type LogSeverity, severityOfTopics } from './severity.js';
import { cleanText, topicsOf } from './text.js';

// The `device_logs` table (migration 047): polled and syslog lines, partitioned by day. Written by ingest (poll
// results, inside its batch transaction) and the syslog receiver, both as `system`; read by the API under RLS.

/** One row to store: a column of the recordset each. */
export type LogInsertRow = {
  tenant_id: string;
  device_id: string;
  time: string;
  received_at: string;
  source: 'poll' | 'syslog';
  topics: string[];
  severity: LogSeverity;
  message: string;
  entry_id: string | null;
};

export type LogRow = {
  id: string;
  device_id: string;
  device_name: string;
  time: Date;
  received_at: Date;
  source: 'poll' | 'syslog';
  topics: string[];
  severity: LogSeverity;
  message: string;
};

export type LogFilter = {
  device_id?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  topic?: string | undefined;
  severities?: readonly LogSeverity[] | undefined;
  q?: string | undefined;
  /** Rows older than this (time, id), newest first. */
  after?: { time: string; id: string } | null | undefined;
  limit: number;
};

// Rows of a day without a partition (older than retention, or a clock far off) are skipped rather than failing the
// batch: to_regclass finds the day's partition by the name ensurePartitions gives it. Rows of devices deleted
// meanwhile, or of a device not in the row's tenant, are skipped too.
const INSERT = `
insert into device_logs (tenant_id, device_id, time, received_at, source, topics, severity, message, entry_id)
select x.tenant_id, x.device_id, x.time, x.received_at, x.source, x.topics, x.severity, x.message, x.entry_id
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, time timestamptz, received_at timestamptz,
       source text, topics text[], severity text, message text, entry_id text)
 where to_regclass('device_logs_' || to_char(x.time at time zone 'UTC', 'YYYYMMDD')) is not null
   and exists (select 1 from devices d where d.id = x.device_id and d.tenant_id = x.tenant_id)
on conflict do nothing`;

const ENTRY_ID = /^\*[0-9A-Fa-f]{1,16}$/;

/** The log lines of a batch of poll results as rows (the poll's time stands in for a line without one). */
export function rowsOfResults(results: readonly PollResult[]): LogInsertRow[] {
  const rows: LogInsertRow[] = [];
  for (const r of results) {
    for (const l of r.logs ?? []) {
      const topics = topicsOf(l.topics.join(','));
      const time = l.time && Number.isFinite(Date.parse(l.time)) ? new Date(l.time).toISOString() : r.at;
      rows.push({
        tenant_id: r.tenantId,
        device_id: r.deviceId,
        time,
        received_at: r.at,
        source: 'poll',
        topics,
        severity: severityOfTopics(topics),
        message: cleanText(l.message),
        entry_id: ENTRY_ID.test(l.id) ? l.id : null,
      });
    }
  }
  return rows;
}

/** `\`, `%` and `_` taken literally in ILIKE. */
const likeText = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const deviceLogsRepo = {
  /** Stores rows in one statement; returns how many were new. */
  async insertRows(db: Db, rows: readonly LogInsertRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    return (await db.query(INSERT, [JSON.stringify(rows)])).rowCount ?? 0;
  },

  /**
   * The log lines of a batch of poll results, in one statement on the caller's transaction (ingest's). A line
   * stored already (a redelivered result, the buffer sent again after a poller restart) is skipped by the unique
   * (device, time, entry id). Returns how many were new.
   */
  insertFromResults(db: Db, results: PollResult[]): Promise<number> {
    return deviceLogsRepo.insertRows(db, rowsOfResults(results));
  },

  /** Newest first (time, then id), after the cursor. Under RLS: the caller's tenant only. */
  async list(db: Db, f: LogFilter): Promise<LogRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    };
    if (f.device_id) where.push(`l.device_id = ${arg(f.device_id)}`);
    if (f.from) where.push(`l.time >= ${arg(f.from)}`);
    if (f.to) where.push(`l.time < ${arg(f.to)}`);
    if (f.topic) where.push(`l.topics @> array[${arg(f.topic)}::text]`);
    if (f.severities?.length) where.push(`l.severity = any(${arg(f.severities)}::text[])`);
    if (f.q) where.push(`l.message ilike ${arg(likeText(f.q))}`);
    if (f.after) where.push(`(l.time, l.id) < (${arg(f.after.time)}::timestamptz, ${arg(f.after.id)}::bigint)`);
    const r = await db.query<LogRow>(
      `select l.id, l.device_id, d.name as device_name, l.time, l.received_at, l.source, l.topics, l.severity,
              l.message
         from device_logs l join devices d on d.id = l.device_id
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by l.time desc, l.id desc limit ${arg(f.limit)}`,
      args,
    );
    return r.rows;
  },
};

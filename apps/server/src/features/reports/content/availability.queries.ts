import type { Db } from '../../../platform/db/tx.js';
import type { Recurrence } from '../../maintenance-windows/occurrences.js';
import type { Scope } from './scope.queries.js';

// Read-only queries of availability: the status history (the poller reports a change of status as a device event,
// `device.online` / `device.offline` / `device.degraded`, which ingest stores in `events`) and the maintenance windows
// that overlap the period. Run under the tenant (RLS).

const STATUS_EVENTS = ['device.online', 'device.offline', 'device.degraded'];

export type StatusSpan = { device_id: string; status: string; start_at: Date; end_at: Date };

export type WindowRow = {
  id: string;
  starts_at: Date;
  ends_at: Date;
  timezone: string;
  recurrence: Recurrence | null;
  scopes: Array<{ kind: 'organisation' | 'group' | 'tag' | 'site' | 'sector' | 'device'; id?: string }>;
};

export const availabilityQueries = {
  /**
   * Each device's statuses over [from, until): the one in force at `from` (its last change before), then every
   * change inside. One scan of the period's status events plus one index probe per device; PostgreSQL computes the
   * spans (lead over each device's changes).
   */
  async spans(db: Db, s: Scope, from: Date, until: Date): Promise<StatusSpan[]> {
    const r = await db.query<StatusSpan>(
      `with d as (select id from devices where ($3::uuid is null or site_id = $3) and ($4::uuid is null or id = $4)),
       changes as (
         select d.id as device_id, $1::timestamptz as at, p.status
           from d cross join lateral (
             select substr(e.type, 8) as status from events e
              where e.device_id = d.id and e.type = any($5) and e.created_at <= $1
              order by e.created_at desc limit 1) p
         union all
         select e.device_id, e.created_at, substr(e.type, 8)
           from events e join d on d.id = e.device_id
          where e.type = any($5) and e.created_at > $1 and e.created_at < $2),
       spans as (
         select device_id, status, at as start_at,
                coalesce(lead(at) over (partition by device_id order by at), $2::timestamptz) as end_at
           from changes)
       select device_id, status, start_at, end_at from spans where end_at > start_at order by device_id, start_at`,
      [from, until, s.siteId, s.deviceId, STATUS_EVENTS],
    );
    return r.rows;
  },

  /** Maintenance windows whose series overlaps [from, until) (the occurrence maths decides the rest). */
  async windows(db: Db, from: Date, until: Date): Promise<WindowRow[]> {
    const r = await db.query<WindowRow>(
      `select id, starts_at, ends_at, timezone, recurrence, scopes from maintenance_windows
        where starts_at < $2 and (series_end is null or series_end > $1)`,
      [from, until],
    );
    return r.rows;
  },
};

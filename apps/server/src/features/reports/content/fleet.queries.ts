import type { Db } from '../../../platform/db/tx.js';

// Read-only aggregates of the fleet report, each computed by PostgreSQL (a 1,000-device week is ~170,000 hourly
// rows: they are summed there, never shipped to JS). Run under the tenant (RLS); `$site` narrows to a site.
// Tables read: devices (current state), metrics_health_1h (hourly rollups), alert_events, config_jobs,
// config_versions, change_operations, events.

const inScope = (col: string, site: string) =>
  `${col} in (select id from devices where ${site}::uuid is null or site_id = ${site}::uuid)`;

export type Count = { key: string; count: number };
export type AlertRow = {
  rule_name: string;
  severity: string;
  alerts: number;
  devices: number;
  firing: number;
  longest: number;
};
export type BackupFailure = { name: string; failures: number; last_at: Date; error: string | null };
export type BusyRow = { name: string; cpu_avg: number | null; cpu_max: number | null; mem_avg: number | null };
export type TrendRow = { t: number; cpu: number | null; mem: number | null };

export const fleetQueries = {
  /** Current devices by status (disabled ones apart), by model and by RouterOS version. */
  async counts(db: Db, site: string | null) {
    const r = await db.query<{ by: string; key: string; count: number }>(
      `with d as (select * from devices where $1::uuid is null or site_id = $1)
       select 'status' as by, case when disabled then 'disabled' else status end as key, count(*)::int as count
         from d group by 2
       union all select 'model', coalesce(model, 'unknown'), count(*)::int from d group by 2
       union all select 'version', coalesce(version, 'unknown'), count(*)::int from d group by 2`,
      [site],
    );
    const pick = (by: string): Count[] =>
      r.rows.filter((x) => x.by === by).map((x) => ({ key: x.key, count: x.count }));
    return { status: pick('status'), model: pick('model'), version: pick('version') };
  },

  /** Alert rules by how often they fired in the period, and how long (clipped to the period). */
  async topAlerts(db: Db, from: Date, to: Date, until: Date, site: string | null, limit = 10): Promise<AlertRow[]> {
    const r = await db.query<AlertRow>(
      `with a as (
         select rule_name, severity, device_id,
                extract(epoch from least(coalesce(resolved_at, $3), $2) - greatest(started_at, $1))::float8 as secs
           from alert_events
          where started_at < $2 and (resolved_at is null or resolved_at > $1)
            and ($4::uuid is null or ${inScope('device_id', '$4')} or site_id = $4
                 or sector_id in (select id from sectors where site_id = $4)))
       select rule_name, severity, count(*)::int as alerts, count(distinct device_id)::int as devices,
              coalesce(sum(greatest(secs, 0)), 0)::float8 as firing, coalesce(max(greatest(secs, 0)), 0)::float8 as longest
         from a group by rule_name, severity
        order by alerts desc, firing desc, rule_name limit $5`,
      [from, to, until, site, limit],
    );
    return r.rows;
  },

  /** Backup runs that ended in the period, new versions stored, and the safe changes and out-of-band changes. */
  async activity(db: Db, from: Date, to: Date, site: string | null) {
    const r = await db.query<Record<string, number>>(
      `select
         (select count(*) from config_jobs where finished_at >= $1 and finished_at < $2 and status = 'succeeded'
            and ${inScope('device_id', '$3')})::int as backups_ok,
         (select count(*) from config_jobs where finished_at >= $1 and finished_at < $2 and status = 'failed'
            and ${inScope('device_id', '$3')})::int as backups_failed,
         (select count(distinct device_id) from config_jobs where finished_at >= $1 and finished_at < $2
            and status = 'succeeded' and ${inScope('device_id', '$3')})::int as devices_backed_up,
         (select count(*) from config_versions where created_at >= $1 and created_at < $2
            and ${inScope('device_id', '$3')})::int as versions,
         (select count(*) from change_operations where finished_at >= $1 and finished_at < $2 and status = 'confirmed'
            and ${inScope('device_id', '$3')})::int as changes_confirmed,
         (select count(*) from change_operations where finished_at >= $1 and finished_at < $2 and status = 'reverted'
            and ${inScope('device_id', '$3')})::int as changes_reverted,
         (select count(*) from change_operations where finished_at >= $1 and finished_at < $2 and status = 'failed'
            and ${inScope('device_id', '$3')})::int as changes_failed,
         (select count(*) from events where created_at >= $1 and created_at < $2 and type = 'device.config_changed'
            and ${inScope('device_id', '$3')})::int as out_of_band`,
      [from, to, site],
    );
    return r.rows[0]!;
  },

  /** Devices whose backups failed in the period, most failures first. */
  async backupFailures(db: Db, from: Date, to: Date, site: string | null, limit = 25): Promise<BackupFailure[]> {
    const r = await db.query<BackupFailure>(
      `select d.name, count(*)::int as failures, max(j.finished_at) as last_at,
              (array_agg(coalesce(j.error_code, '') || coalesce(': ' || j.error_detail, '') order by j.finished_at desc))[1] as error
         from config_jobs j join devices d on d.id = j.device_id
        where j.status = 'failed' and j.finished_at >= $1 and j.finished_at < $2 and ($3::uuid is null or d.site_id = $3)
        group by d.id, d.name order by failures desc, lower(d.name) limit $4`,
      [from, to, site, limit],
    );
    return r.rows;
  },

  /** The fleet's average CPU and memory use per hour (or per day over long periods), from the hourly rollups. */
  async trend(db: Db, from: Date, to: Date, site: string | null, step: '1 hour' | '1 day'): Promise<TrendRow[]> {
    const r = await db.query<TrendRow>(
      `select extract(epoch from date_bin($4::interval, m.bucket, timestamptz '2000-01-01 00:00:00+00'))::float8 as t,
              avg(m.cpu_avg)::float8 as cpu,
              avg(100.0 * (m.memory_total - m.memory_free_min) / nullif(m.memory_total, 0))::float8 as mem
         from metrics_health_1h m join devices d on d.id = m.device_id
        where m.bucket >= $1 and m.bucket < $2 and ($3::uuid is null or d.site_id = $3)
        group by 1 order by 1`,
      [from, to, site, step],
    );
    return r.rows;
  },

  /** The devices with the highest average CPU load over the period (hourly rollups). */
  async busiest(db: Db, from: Date, to: Date, site: string | null, limit = 10): Promise<BusyRow[]> {
    const r = await db.query<BusyRow>(
      `select d.name, avg(m.cpu_avg)::float8 as cpu_avg, max(m.cpu_max)::float8 as cpu_max,
              avg(100.0 * (m.memory_total - m.memory_free_min) / nullif(m.memory_total, 0))::float8 as mem_avg
         from metrics_health_1h m join devices d on d.id = m.device_id
        where m.bucket >= $1 and m.bucket < $2 and ($3::uuid is null or d.site_id = $3)
        group by d.id, d.name order by cpu_avg desc nulls last, lower(d.name) limit $4`,
      [from, to, site, limit],
    );
    return r.rows;
  },
};

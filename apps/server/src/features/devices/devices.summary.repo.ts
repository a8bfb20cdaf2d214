import type { Db } from '../../platform/db/tx.js';
import type { FleetSummary } from '../fleet/fleet.schema.js';

// One statement, one scan of the devices' latest-state columns (never the metrics tables): the CTE is read once and
// every part is computed from it, and PostgreSQL builds the JSON.
const summarySql = `
with d as materialized (
  select id, name, status, disabled, version, model, latest_version, status_since, status_reason, cpu_load::float8 as cpu,
         100.0 * (memory_total - memory_free) / nullif(memory_total, 0) as mem,
         100.0 * (disk_total - disk_free) / nullif(disk_total, 0) as disk
    from devices)
select json_build_object(
  'counts', (select json_build_object(
      'total', count(*),
      'online', count(*) filter (where status = 'online' and not disabled),
      'offline', count(*) filter (where status = 'offline' and not disabled),
      'degraded', count(*) filter (where status = 'degraded' and not disabled),
      'unknown', count(*) filter (where status = 'unknown' and not disabled),
      'disabled', count(*) filter (where disabled)) from d),
  'top_cpu', coalesce((select json_agg(x) from (select id, name, status, cpu as value from d
      where not disabled and cpu is not null order by cpu desc, name limit 5) x), '[]'),
  'top_memory', coalesce((select json_agg(x) from (select id, name, status, mem::float8 as value from d
      where not disabled and mem is not null order by mem desc, name limit 5) x), '[]'),
  'top_disk', coalesce((select json_agg(x) from (select id, name, status, disk::float8 as value from d
      where not disabled and disk is not null order by disk desc, name limit 5) x), '[]'),
  'recent_offline', coalesce((select json_agg(x) from (select id, name, status_since, status_reason from d
      where status = 'offline' and not disabled order by status_since desc limit 10) x), '[]'),
  'versions', coalesce((select json_agg(x) from (select coalesce(version, 'unknown') as version, count(*) as count from d
      group by 1 order by 2 desc, 1 limit 20) x), '[]'),
  'models', coalesce((select json_agg(x) from (select coalesce(model, 'unknown') as model, count(*) as count from d
      group by 1 order by 2 desc, 1 limit 20) x), '[]'),
  'updates_available', (select count(*) from d where latest_version is not null and version is not null
      and latest_version <> version)
) as summary`;

/** The devices table read for the fleet dashboard (the fleet feature's service calls this). */
export const devicesSummaryRepo = {
  async summary(db: Db): Promise<FleetSummary> {
    const r = await db.query<{ summary: FleetSummary }>(summarySql);
    return r.rows[0]!.summary;
  },
};

import type { Db } from '../../platform/db/tx.js';
import type { FleetSummary } from '../fleet/fleet.schema.js';
import { dashboardTalliesSql, type TallyRow, talliesOf } from './devices.tallies.repo.js';

// The fleet dashboard without scanning the devices: counts, versions and models come from the maintained tallies,
// the top lists walk their indexes (migration 070) and stop after a few rows.
const summarySql = `
select coalesce((select json_agg(t) from (${dashboardTalliesSql}) t), '[]') as tallies, json_build_object(
  'top_cpu', coalesce((select json_agg(x) from (select id, name, status, cpu_load::float8 as value from devices
      where not disabled and cpu_load is not null order by coalesce(cpu_load, -1) desc, id desc limit 5) x), '[]'),
  'top_memory', coalesce((select json_agg(x) from (select id, name, status,
        (100.0 * (memory_total - memory_free) / nullif(memory_total, 0))::float8 as value from devices
      where not disabled and memory_total > 0
      order by (100.0 * (memory_total - memory_free) / nullif(memory_total, 0))::float8 desc limit 5) x), '[]'),
  'top_disk', coalesce((select json_agg(x) from (select id, name, status,
        (100.0 * (disk_total - disk_free) / nullif(disk_total, 0))::float8 as value from devices
      where not disabled and disk_total > 0
      order by (100.0 * (disk_total - disk_free) / nullif(disk_total, 0))::float8 desc limit 5) x), '[]'),
  'recent_offline', coalesce((select json_agg(x) from (select id, name, status_since, status_reason from devices
      where status = 'offline' and not disabled order by status_since desc limit 10) x), '[]')
) as tops`;

const ranked = (m: Map<string, number> | undefined, limit: number) =>
  [...(m ?? [])].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);

/** The devices table read for the fleet dashboard (the fleet feature's service calls this). */
export const devicesSummaryRepo = {
  async summary(db: Db): Promise<FleetSummary> {
    // One statement: a round trip costs more than everything it reads.
    const r = (
      await db.query<{
        tallies: TallyRow[];
        tops: Pick<FleetSummary, 'top_cpu' | 'top_memory' | 'top_disk' | 'recent_offline'>;
      }>(summarySql)
    ).rows[0]!;
    const tallies = talliesOf(r.tallies);
    const tops = r.tops;
    const status = tallies.get('live');
    const of = (s: string) => status?.get(s) ?? 0;
    return {
      counts: {
        total: [...(status?.values() ?? [])].reduce((a, b) => a + b, 0),
        online: of('online'),
        offline: of('offline'),
        degraded: of('degraded'),
        unknown: of('unknown'),
        disabled: of('disabled'),
      },
      ...tops,
      versions: ranked(tallies.get('version'), 20).map(([version, count]) => ({ version, count })),
      models: ranked(tallies.get('model'), 20).map(([model, count]) => ({ model, count })),
      updates_available: tallies.get('update')?.get('available') ?? 0,
    };
  },
};

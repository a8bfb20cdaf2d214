import type pg from 'pg';
import type { Schedule } from '../jobs/schedules.js';
import { dropExpiredPartitions, ensurePartitions, type RetentionDays, seriesTables } from './partitions.js';
import { runRollups } from './rollups.js';

/** The worker's time-series schedules: partitions ahead + retention (owner), rollups (system). */
export function timeseriesSchedules(deps: { owner: pg.Pool; system: pg.Pool; retention: RetentionDays }): Schedule[] {
  const tables = seriesTables(deps.retention);
  return [
    {
      name: 'timeseries.partitions',
      everyMs: 3_600_000,
      run: async () => {
        await ensurePartitions(deps.owner, tables);
        await dropExpiredPartitions(deps.owner, tables);
      },
    },
    { name: 'timeseries.rollups', everyMs: 60_000, run: () => runRollups(deps.system) },
  ];
}

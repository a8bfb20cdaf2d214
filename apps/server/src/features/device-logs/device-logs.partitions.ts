import type pg from 'pg';
import { dropExpiredPartitions, ensurePartitions, type SeriesTable } from '../../platform/timeseries/partitions.js';

// device_logs uses the time series' daily partitions (platform/timeseries/partitions.ts): made ahead, dropped
// whole past retention. Unlike the metrics it makes them back to the retention too: the first look at a router
// sends its whole log buffer, which may hold lines weeks old.

export const deviceLogsTable = (retentionDays: number): SeriesTable => ({ name: 'device_logs', retentionDays });

/** Partitions from `retentionDays` ago to two days ahead; drops those wholly older than the retention. */
export async function maintainLogPartitions(
  owner: pg.Pool,
  retentionDays: number,
  opts: { now?: number; behindDays?: number } = {},
): Promise<{ created: string[]; dropped: string[] }> {
  const table = deviceLogsTable(retentionDays);
  const now = opts.now ?? Date.now();
  const created = await ensurePartitions(owner, [table], { now, behindDays: opts.behindDays ?? retentionDays });
  const dropped = await dropExpiredPartitions(owner, [table], now);
  return { created, dropped };
}

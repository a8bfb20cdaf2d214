import { q, type RouterOSClient } from '@tod/routeros';

// Out-of-band change detection: RouterOS logs every configuration change as a `system,info` line such as
// "ip address added by admin" or "interface bridge port changed by alice". Reading the log for new such lines since
// the last look says that, when and by whom the configuration was changed, without an export.

const CHANGE = /^(.+) (added|changed|removed|moved) by (\S+)$/;

export type ConfigChange = { what: string; action: string; user: string; time: string | null };

/** A log line that says the configuration changed (`system,info`: "… changed by admin"). */
export const isConfigChangeLine = (l: { topics: readonly string[]; message: string }) =>
  l.topics.includes('system') && l.topics.includes('info') && CHANGE.test(l.message);

/** `.id` of a log item (`*1A`) as a number, or -1. */
const idOf = (id: string | undefined) => (id?.startsWith('*') ? Number.parseInt(id.slice(1), 16) : -1);

/** New configuration changes in the log after `afterId`, and the highest id seen (to look from next time). */
export async function readConfigChanges(
  client: RouterOSClient,
  afterId: number | undefined,
): Promise<{ lastId: number; changes: ConfigChange[] }> {
  const rows = await client.command('/log/print', {}, { query: q.eq('topics', 'system,info') });
  let lastId = afterId ?? -1;
  const changes: ConfigChange[] = [];
  for (const r of rows) {
    const id = idOf(r['.id']);
    if (id > lastId) lastId = id;
    if (afterId === undefined || id <= afterId) continue;
    const m = CHANGE.exec(r.message ?? '');
    if (m) changes.push({ what: m[1]!, action: m[2]!, user: m[3]!, time: r.time ?? null });
  }
  return { lastId, changes };
}

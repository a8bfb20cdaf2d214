import type { Db } from '../../platform/db/tx.js';
import type { EdgeRow } from './edges.js';

// topology_edges: rebuilt by ingest (system) for the devices of each batch; read by the topology service.

export type StoredEdge = Omit<EdgeRow, 'last_seen' | 'down_since'> & { last_seen: Date; down_since: Date | null };

const INSERT = `
insert into topology_edges (tenant_id, id, node_a, node_b, device_a, device_b, evidence, up, last_seen, down_since,
  unmanaged)
select x.tenant_id, x.id, x.node_a, x.node_b, x.device_a, x.device_b, x.evidence, x.up, x.last_seen, x.down_since,
       x.unmanaged
  from json_to_recordset($1::json) as x(tenant_id uuid, id text, node_a text, node_b text, device_a uuid,
       device_b uuid, evidence jsonb, up boolean, last_seen timestamptz, down_since timestamptz, unmanaged jsonb)
 where (x.device_a is null or exists (select 1 from devices d where d.id = x.device_a))
   and (x.device_b is null or exists (select 1 from devices d where d.id = x.device_b))`;

const COLUMNS = 'tenant_id, id, node_a, node_b, device_a, device_b, evidence, up, last_seen, down_since, unmanaged';

export const edgesRepo = {
  /** Removes the edges any of these devices is an end of; returns them (id and state) as they were. */
  async removeTouching(db: Db, deviceIds: string[]) {
    if (deviceIds.length === 0) return [];
    return (
      await db.query<{ tenant_id: string; id: string; up: boolean }>(
        `delete from topology_edges where device_a = any($1::uuid[]) or device_b = any($1::uuid[])
         returning tenant_id, id, up`,
        [deviceIds],
      )
    ).rows;
  },

  async insert(db: Db, rows: EdgeRow[]) {
    if (rows.length === 0) return 0;
    return (await db.query(INSERT, [JSON.stringify(rows)])).rowCount ?? 0;
  },

  /** The organisation's edges (RLS scopes them). */
  async all(db: Db): Promise<StoredEdge[]> {
    return (await db.query<StoredEdge>(`select ${COLUMNS} from topology_edges`)).rows;
  },

  async ofDevice(db: Db, deviceId: string): Promise<StoredEdge[]> {
    return (
      await db.query<StoredEdge>(`select ${COLUMNS} from topology_edges where device_a = $1 or device_b = $1`, [
        deviceId,
      ])
    ).rows;
  },
};

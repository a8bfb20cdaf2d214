import type { Db } from '../../platform/db/tx.js';
import type { StoredObservation } from './edges.js';
import type { Observation } from './observe.js';

// topology_observations: written by ingest (system) from each collection, read to rebuild the edges of the devices
// a batch touched.

export type ObservationInsert = Observation & { tenant_id: string; device_id: string; at: string };
/** A collection that was made: rows of this source the observer no longer lists went away at `at`. */
export type Collected = { device_id: string; source: 'neighbor' | 'wireless'; at: string };

// The remote is the managed device that owns the MAC (one device only: a MAC on two routers matches neither), else
// the one at that address, else the one with that identity; never the observer itself. Its port comes from the MAC
// when the neighbour did not name it (MNDP does not carry it), the physical port before a bridge sharing its MAC.
const UPSERT = `
insert into topology_observations (tenant_id, device_id, source, local_interface, remote_key, remote_mac,
  remote_identity, remote_address, remote_interface, remote_platform, remote_board, remote_version, protocols,
  remote_device_id, first_seen, last_seen, gone_at)
select x.tenant_id, x.device_id, x.source, x.local_interface, x.remote_key, x.remote_mac, x.remote_identity,
       x.remote_address, coalesce(x.remote_interface, case when m.n = 1 then m.port end), x.remote_platform,
       x.remote_board, x.remote_version, x.protocols,
       case when m.n = 1 then m.device_id when m.n = 0 and a.n = 1 then a.device_id
            when m.n = 0 and a.n = 0 and i.n = 1 then i.device_id end,
       x.at, x.at, null
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, source text, local_interface text,
       remote_key text, remote_mac text, remote_identity text, remote_address text, remote_interface text,
       remote_platform text, remote_board text, remote_version text, protocols text[], at timestamptz)
  cross join lateral (
    select count(distinct f.device_id) as n, min(f.device_id::text)::uuid as device_id,
           (array_agg(f.name order by f.type = 'bridge', f.name))[1] as port
      from device_interfaces f
     where x.remote_mac is not null and f.tenant_id = x.tenant_id and f.mac_address = x.remote_mac
       and f.device_id <> x.device_id) m
  cross join lateral (
    select count(*) as n, min(d.id::text)::uuid as device_id from devices d
     where x.remote_address is not null and d.tenant_id = x.tenant_id and lower(d.host) = lower(x.remote_address)
       and d.id <> x.device_id) a
  cross join lateral (
    select count(*) as n, min(d.id::text)::uuid as device_id from devices d
     where x.remote_identity is not null and x.source = 'neighbor' and d.tenant_id = x.tenant_id
       and d.identity = x.remote_identity and d.id <> x.device_id) i
 where exists (select 1 from devices d where d.id = x.device_id)
on conflict (device_id, source, local_interface, remote_key) do update set
  remote_mac = excluded.remote_mac, remote_identity = excluded.remote_identity,
  remote_address = excluded.remote_address, remote_interface = excluded.remote_interface,
  remote_platform = excluded.remote_platform, remote_board = excluded.remote_board,
  remote_version = excluded.remote_version, protocols = excluded.protocols,
  remote_device_id = excluded.remote_device_id, last_seen = excluded.last_seen, gone_at = null
  where topology_observations.last_seen <= excluded.last_seen`;

const MARK_GONE = `
update topology_observations o set gone_at = x.at
  from json_to_recordset($1::json) as x(device_id uuid, source text, at timestamptz)
 where o.device_id = x.device_id and o.source = x.source and o.gone_at is null and o.last_seen < x.at
returning o.device_id`;

const TOUCHING = `
select tenant_id, device_id, source, local_interface, remote_key, remote_mac, remote_identity, remote_address,
       remote_interface, remote_platform, remote_board, remote_version, protocols, remote_device_id,
       to_char(last_seen at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_seen,
       to_char(gone_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as gone_at
  from topology_observations where device_id = any($1::uuid[]) or remote_device_id = any($1::uuid[])`;

// A router reported its interfaces: sightings of those MACs that matched no device yet (it was added, or first
// polled, after its neighbours saw it) are its now — when no other device of the organisation owns the MAC.
const RESOLVE_PENDING = `
update topology_observations o set remote_device_id = m.device_id,
       remote_interface = coalesce(o.remote_interface, m.port)
  from json_to_recordset($1::json) as m(tenant_id uuid, device_id uuid, mac text, port text)
 where o.remote_device_id is null and o.tenant_id = m.tenant_id and o.remote_mac = m.mac
   and o.device_id <> m.device_id
   and (select count(distinct f.device_id) from device_interfaces f
         where f.tenant_id = m.tenant_id and f.mac_address = m.mac) = 1
returning o.device_id, m.device_id as remote`;

export type OwnedMac = { tenant_id: string; device_id: string; mac: string; port: string };

export const observationsRepo = {
  /** Matches pending sightings to the devices that own these MACs. Returns both ends of each one matched. */
  async resolvePending(db: Db, owned: OwnedMac[]): Promise<string[]> {
    if (owned.length === 0) return [];
    const r = await db.query<{ device_id: string; remote: string }>(RESOLVE_PENDING, [JSON.stringify(owned)]);
    return [...new Set(r.rows.flatMap((x) => [x.device_id, x.remote]))];
  },

  async upsert(db: Db, rows: ObservationInsert[]) {
    if (rows.length === 0) return 0;
    return (await db.query(UPSERT, [JSON.stringify(rows)])).rowCount ?? 0;
  },

  /** Returns the devices that had sightings retired. */
  async markGone(db: Db, collected: Collected[]): Promise<string[]> {
    if (collected.length === 0) return [];
    const r = await db.query<{ device_id: string }>(MARK_GONE, [JSON.stringify(collected)]);
    return [...new Set(r.rows.map((x) => x.device_id))];
  },

  /** Every observation by or of these devices: all the evidence of every edge they are an end of. */
  async touching(db: Db, deviceIds: string[]): Promise<StoredObservation[]> {
    if (deviceIds.length === 0) return [];
    return (await db.query<StoredObservation>(TOUCHING, [deviceIds])).rows;
  },

  /** Forgets sightings gone longer than `days` (their edges went stale long ago). Returns the devices touched. */
  async prune(db: Db, days: number): Promise<string[]> {
    const r = await db.query<{ device_id: string }>(
      `delete from topology_observations where gone_at < now() - make_interval(days => $1) returning device_id`,
      [days],
    );
    return [...new Set(r.rows.map((x) => x.device_id))];
  },
};

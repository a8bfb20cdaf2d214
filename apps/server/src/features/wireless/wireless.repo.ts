import type { Db } from '../../platform/db/tx.js';
import type { Radio, Registration } from './parse.js';

// wireless_registrations, wireless_radios, wireless_signal: written by ingest (system), read by the service under
// RLS. The peer of a registration is the managed device that owns its MAC (one device only, never the reporter).

export type RegistrationInsert = Registration & { tenant_id: string; device_id: string; at: string };
export type RadioInsert = Radio & { tenant_id: string; device_id: string; at: string };
export type Collected = { device_id: string; at: string };

const REG_COLS = `ssid, signal, snr, tx_ccq, rx_ccq, tx_rate, rx_rate, tx_rate_mbps, rx_rate_mbps, uptime_seconds,
  last_ip, radio_name, routeros_version, band`;

const UPSERT_REGISTRATIONS = `
insert into wireless_registrations (tenant_id, device_id, interface, mac, role, peer_device_id, ${REG_COLS},
  first_seen, last_seen, gone_at, missed)
select x.tenant_id, x.device_id, x.interface, x.mac, x.role, case when p.n = 1 then p.device_id end,
       ${REG_COLS.split(',')
         .map((c) => `x.${c.trim()}`)
         .join(', ')}, x.at, x.at, null, 0
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, interface text, mac text, role text,
       ssid text, signal real, snr real, tx_ccq real, rx_ccq real, tx_rate text, rx_rate text, tx_rate_mbps real,
       rx_rate_mbps real, uptime_seconds bigint, last_ip text, radio_name text, routeros_version text, band text,
       at timestamptz)
  cross join lateral (
    select count(distinct f.device_id) as n, min(f.device_id::text)::uuid as device_id from device_interfaces f
     where f.tenant_id = x.tenant_id and f.mac_address = x.mac and f.device_id <> x.device_id) p
 where exists (select 1 from devices d where d.id = x.device_id)
on conflict (device_id, interface, mac) do update set role = excluded.role, peer_device_id = excluded.peer_device_id,
  ${REG_COLS.split(',')
    .map((c) => `${c.trim()} = excluded.${c.trim()}`)
    .join(', ')},
  first_seen = case when wireless_registrations.gone_at is null then wireless_registrations.first_seen
                    else excluded.first_seen end,
  last_seen = excluded.last_seen, gone_at = null, missed = 0
  where wireless_registrations.last_seen <= excluded.last_seen`;

// A collection (or a poll that found the router offline) that did not list a registration: one more miss.
const MISSED = `
update wireless_registrations r set missed = r.missed + 1, gone_at = coalesce(r.gone_at, x.at)
  from json_to_recordset($1::json) as x(device_id uuid, at timestamptz)
 where r.device_id = x.device_id and r.last_seen < x.at and r.missed < 1000000`;

const UPSERT_RADIOS = `
insert into wireless_radios (tenant_id, device_id, name, mode, ssid, frequency, band, channel_width, mac, running,
  disabled, noise_floor, ccq, clients, tx_rate, rx_rate, status, updated_at)
select x.tenant_id, x.device_id, x.name, x.mode, x.ssid, x.frequency, x.band, x.channel_width, x.mac, x.running,
       x.disabled, x.noise_floor, x.ccq, x.clients, x.tx_rate, x.rx_rate, x.status, x.at
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, name text, mode text, ssid text,
       frequency text, band text, channel_width text, mac text, running boolean, disabled boolean, noise_floor real,
       ccq real, clients int, tx_rate text, rx_rate text, status text, at timestamptz)
 where exists (select 1 from devices d where d.id = x.device_id)
on conflict (device_id, name) do update set mode = excluded.mode, ssid = excluded.ssid,
  frequency = excluded.frequency, band = excluded.band, channel_width = excluded.channel_width, mac = excluded.mac,
  running = excluded.running, disabled = excluded.disabled, noise_floor = excluded.noise_floor, ccq = excluded.ccq,
  clients = excluded.clients, tx_rate = excluded.tx_rate, rx_rate = excluded.rx_rate, status = excluded.status,
  updated_at = excluded.updated_at
  where wireless_radios.updated_at <= excluded.updated_at`;

const INSERT_SIGNAL = `
insert into wireless_signal (tenant_id, device_id, interface, mac, time, signal, snr, tx_ccq, rx_ccq, tx_rate_mbps,
  rx_rate_mbps)
select x.tenant_id, x.device_id, x.interface, x.mac, x.at, x.signal, x.snr, x.tx_ccq, x.rx_ccq, x.tx_rate_mbps,
       x.rx_rate_mbps
  from json_to_recordset($1::json) as x(tenant_id uuid, device_id uuid, interface text, mac text, at timestamptz,
       signal real, snr real, tx_ccq real, rx_ccq real, tx_rate_mbps real, rx_rate_mbps real)
 where exists (select 1 from devices d where d.id = x.device_id)
on conflict do nothing`;

// A router reported its interfaces: registrations of those MACs that matched no device yet (the AP was polled before
// its CPE) are its now — when no other device of the organisation owns the MAC.
const RESOLVE_PENDING = `
update wireless_registrations r set peer_device_id = m.device_id
  from json_to_recordset($1::json) as m(tenant_id uuid, device_id uuid, mac text)
 where r.peer_device_id is null and r.tenant_id = m.tenant_id and r.mac = m.mac and r.device_id <> m.device_id
   and (select count(distinct f.device_id) from device_interfaces f
         where f.tenant_id = m.tenant_id and f.mac_address = m.mac) = 1`;

const json = (v: unknown) => JSON.stringify(v);

export const wirelessWriteRepo = {
  async resolvePending(db: Db, owned: Array<{ tenant_id: string; device_id: string; mac: string }>) {
    if (owned.length > 0) await db.query(RESOLVE_PENDING, [json(owned)]);
  },
  async upsertRegistrations(db: Db, rows: RegistrationInsert[]) {
    if (rows.length > 0) await db.query(UPSERT_REGISTRATIONS, [json(rows)]);
  },
  async markMissed(db: Db, collected: Collected[]) {
    if (collected.length > 0) await db.query(MISSED, [json(collected)]);
  },
  /** The radios of each collected router: these, and no others. */
  async replaceRadios(db: Db, rows: RadioInsert[], collected: Collected[]) {
    if (rows.length > 0) await db.query(UPSERT_RADIOS, [json(rows)]);
    if (collected.length > 0)
      await db.query(
        `delete from wireless_radios r using json_to_recordset($1::json) as x(device_id uuid, at timestamptz)
          where r.device_id = x.device_id and r.updated_at < x.at`,
        [json(collected)],
      );
  },
  async insertSignal(db: Db, rows: RegistrationInsert[]) {
    const samples = rows.filter((r) => r.signal !== null || r.tx_ccq !== null || r.tx_rate_mbps !== null);
    if (samples.length > 0) await db.query(INSERT_SIGNAL, [json(samples)]);
  },
};

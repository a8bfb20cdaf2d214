import type { Db } from '../../platform/db/tx.js';
import type { Radio } from './parse.js';
import { DEGRADED_SIGNAL_DBM, DROPPED_WINDOW_MS, LOW_CCQ_PCT, TREND_DAYS } from './state.js';

// Reads of the wireless tables, under the caller's RLS.

export type RegistrationRow = {
  device_id: string;
  interface: string;
  mac: string;
  role: 'client' | 'ap';
  peer_device_id: string | null;
  peer_name: string | null;
  ssid: string | null;
  signal: number | null;
  snr: number | null;
  tx_ccq: number | null;
  rx_ccq: number | null;
  tx_rate: string | null;
  rx_rate: string | null;
  tx_rate_mbps: number | null;
  rx_rate_mbps: number | null;
  uptime_seconds: string | null;
  last_ip: string | null;
  radio_name: string | null;
  routeros_version: string | null;
  band: string | null;
  first_seen: Date;
  last_seen: Date;
  gone_at: Date | null;
  missed: number;
};

export type LinkRow = RegistrationRow & {
  ap_name: string;
  ap_status: string;
  ap_site_id: string | null;
  cpe_status: string;
  cpe_site_id: string | null;
};

const REG = `r.device_id, r.interface, r.mac, r.role, r.peer_device_id, r.ssid, r.signal, r.snr, r.tx_ccq, r.rx_ccq,
  r.tx_rate, r.rx_rate, r.tx_rate_mbps, r.rx_rate_mbps, r.uptime_seconds::text, r.last_ip, r.radio_name,
  r.routeros_version, r.band, r.first_seen, r.last_seen, r.gone_at, r.missed`;

/** Links and clients gone longer than this are not listed (history keeps their signal). */
const FORGET = `interval '30 days'`;

export const wirelessReadRepo = {
  async links(db: Db, f: { deviceId?: string; siteId?: string }): Promise<LinkRow[]> {
    const where = ['r.role = $1', `(r.gone_at is null or r.gone_at > now() - ${FORGET})`];
    const args: unknown[] = ['client'];
    if (f.deviceId) {
      args.push(f.deviceId);
      where.push(`(r.device_id = $${args.length} or r.peer_device_id = $${args.length})`);
    }
    if (f.siteId) {
      args.push(f.siteId);
      where.push(`(ap.site_id = $${args.length} or cpe.site_id = $${args.length})`);
    }
    const r = await db.query<LinkRow>(
      `select ${REG}, cpe.name as peer_name, ap.name as ap_name, ap.status as ap_status, ap.site_id as ap_site_id,
              cpe.status as cpe_status, cpe.site_id as cpe_site_id
         from wireless_registrations r join devices ap on ap.id = r.device_id
         join devices cpe on cpe.id = r.peer_device_id
        where ${where.join(' and ')} order by lower(ap.name), r.interface, lower(cpe.name) limit 20000`,
      args,
    );
    return r.rows;
  },

  async registrations(db: Db, deviceId: string, onlyUnknown = false): Promise<RegistrationRow[]> {
    const unknown = onlyUnknown ? `and r.role = 'client' and r.peer_device_id is null and r.gone_at is null` : '';
    const r = await db.query<RegistrationRow>(
      `select ${REG}, p.name as peer_name from wireless_registrations r left join devices p on p.id = r.peer_device_id
        where r.device_id = $1 and (r.gone_at is null or r.gone_at > now() - interval '1 day') ${unknown}
        order by r.interface, r.gone_at nulls first, r.signal desc nulls last, r.mac limit 5000`,
      [deviceId],
    );
    return r.rows;
  },

  async radios(db: Db, deviceId: string) {
    return (
      await db.query<Radio & { updated_at: Date }>(
        `select name, mode, ssid, frequency, band, channel_width, mac, running, disabled, noise_floor, ccq, clients,
                tx_rate, rx_rate, status, updated_at from wireless_radios where device_id = $1 order by name`,
        [deviceId],
      )
    ).rows;
  },

  /** Samples of one client on one router since `from`: raw rows, or the hourly rollup. */
  async signal(db: Db, deviceId: string, mac: string, from: Date, hourly: boolean) {
    const sql = hourly
      ? `select bucket as time, interface, signal_avg as signal, signal_min, signal_max, snr_avg as snr,
                ccq_avg as ccq, tx_rate_avg as tx_rate_mbps, rx_rate_avg as rx_rate_mbps
           from wireless_signal_1h where device_id = $1 and mac = $2 and bucket >= $3 order by bucket`
      : `select time, interface, signal, signal as signal_min, signal as signal_max, snr, tx_ccq as ccq,
                tx_rate_mbps, rx_rate_mbps
           from wireless_signal where device_id = $1 and mac = $2 and time >= $3 order by time`;
    return (
      await db.query<{
        time: Date;
        interface: string;
        signal: number | null;
        signal_min: number | null;
        signal_max: number | null;
        snr: number | null;
        ccq: number | null;
        tx_rate_mbps: number | null;
        rx_rate_mbps: number | null;
      }>(sql, [deviceId, mac, from])
    ).rows;
  },

  /**
   * Clients' daily signal now against TREND_DAYS ago (hourly rollup): the average of the last day and of the day
   * TREND_DAYS back — or the oldest day held when history is shorter, as long as it spans two days.
   */
  async trends(db: Db, f: { deviceId?: string; mac?: string } = {}) {
    const args: unknown[] = [TREND_DAYS];
    const where: string[] = [];
    if (f.deviceId) {
      args.push(f.deviceId);
      where.push(`device_id = $${args.length}`);
    }
    if (f.mac) {
      args.push(f.mac);
      where.push(`mac = $${args.length}`);
    }
    const r = await db.query<{
      device_id: string;
      mac: string;
      recent: number;
      baseline: number;
      baseline_at: Date;
    }>(
      `with h as (
         select device_id, mac, bucket, signal_avg, samples from wireless_signal_1h
          where bucket >= now() - make_interval(days => $1 + 1) and signal_avg is not null
          ${where.length ? `and ${where.join(' and ')}` : ''}
       ), span as (
         select device_id, mac, min(bucket) as first from h group by 1, 2
          having max(bucket) - min(bucket) >= interval '2 days'
       )
       select s.device_id, s.mac,
              (select sum(signal_avg * samples) / sum(samples) from h where h.device_id = s.device_id and h.mac = s.mac
                  and h.bucket >= now() - interval '1 day') as recent,
              (select sum(signal_avg * samples) / sum(samples) from h where h.device_id = s.device_id and h.mac = s.mac
                  and h.bucket < s.first + interval '1 day') as baseline,
              s.first as baseline_at
         from span s`,
      args,
    );
    return r.rows.filter((x) => x.recent !== null && x.baseline !== null);
  },

  /** Per access point: its clients and what is wrong with them. */
  async issues(db: Db) {
    const r = await db.query<{
      device_id: string;
      name: string;
      status: string;
      site_id: string | null;
      clients: number;
      degraded_clients: number;
      low_ccq_clients: number;
      dropped_clients: number;
      worst_signal: number | null;
      avg_ccq: number | null;
    }>(
      `select d.id as device_id, d.name, d.status, d.site_id,
              count(*) filter (where r.gone_at is null)::int as clients,
              count(*) filter (where r.gone_at is null and r.signal < $1)::int as degraded_clients,
              count(*) filter (where r.gone_at is null and r.tx_ccq < $2)::int as low_ccq_clients,
              count(*) filter (where r.gone_at > now() - make_interval(secs => $3))::int as dropped_clients,
              min(r.signal) filter (where r.gone_at is null) as worst_signal,
              avg(r.tx_ccq) filter (where r.gone_at is null)::real as avg_ccq
         from wireless_registrations r join devices d on d.id = r.device_id
        where r.role = 'client' and (r.gone_at is null or r.gone_at > now() - make_interval(secs => $3))
        group by d.id order by lower(d.name)`,
      [DEGRADED_SIGNAL_DBM, LOW_CCQ_PCT, DROPPED_WINDOW_MS / 1000],
    );
    return r.rows;
  },
};

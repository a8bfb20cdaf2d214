import { jsonColumnsSql, jsonNumberSql } from '../../platform/db/json-columns.js';
import type { Db } from '../../platform/db/tx.js';
import type { Radio } from './parse.js';
import {
  DEGRADED_SIGNAL_DBM,
  DOWN_AFTER_MISSED,
  DROPPED_WINDOW_MS,
  type LinkState,
  LOW_CCQ_PCT,
  STALE_AFTER_MS,
  TREND_DAYS,
} from './state.js';

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

/** The figures of a signal sample, in the order the API gives them. */
const SIGNAL_FIGURES = [
  'interface',
  'signal',
  'signal_min',
  'signal_max',
  'snr',
  'ccq',
  'tx_rate_mbps',
  'rx_rate_mbps',
];
export type SignalFormat = 'points' | 'columns';

/** state.ts linkState in SQL, so a filtered page is counted and cut by PostgreSQL. */
const STATE_SQL = `(case when r.gone_at is not null and r.missed >= ${DOWN_AFTER_MISSED}
    then case when now() - r.gone_at > make_interval(secs => ${STALE_AFTER_MS / 1000}) then 'stale' else 'down' end
  when r.signal < ${DEGRADED_SIGNAL_DBM} then 'degraded' else 'active' end)`;

/** Links and clients gone longer than this are not listed (history keeps their signal). */
const FORGET = `interval '30 days'`;

export const wirelessReadRepo = {
  /**
   * AP registrations that are managed CPEs, ordered by AP name, interface, CPE name (then AP id and MAC, which make
   * the key unique). `state` filters in SQL (the same rule as state.ts linkState), so a page (`limit`, `after`: the
   * previous page's last key) is full. No index covers a key over three tables: a page is a top-N sort of the
   * organisation's links. Rows carry `cursor_k`; the total stops past `countCap`.
   */
  async links(
    db: Db,
    f: {
      deviceId?: string | undefined;
      siteId?: string | undefined;
      state?: LinkState | undefined;
      limit?: number | undefined;
      /** The previous page's last key: AP name (lower case), interface, CPE name (lower case), MAC; and AP id. */
      after?: { key: [string, string, string, string]; id: string } | undefined;
      countCap?: number;
    },
  ): Promise<{ rows: Array<LinkRow & { cursor_k: string }>; total: number }> {
    const where = ['r.role = $1', `(r.gone_at is null or r.gone_at > now() - ${FORGET})`];
    const args: unknown[] = ['client'];
    const arg = (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    };
    if (f.deviceId) {
      const p = arg(f.deviceId);
      where.push(`(r.device_id = ${p} or r.peer_device_id = ${p})`);
    }
    if (f.siteId) {
      const p = arg(f.siteId);
      where.push(`(ap.site_id = ${p} or cpe.site_id = ${p})`);
    }
    if (f.state) where.push(`${STATE_SQL} = ${arg(f.state)}`);
    const from = `from wireless_registrations r join devices ap on ap.id = r.device_id
         join devices cpe on cpe.id = r.peer_device_id`;
    const countArgs = [...args];
    // Sorted by the columns (a row value as the sort key would compare records, several times slower).
    const key = 'lower(ap.name), r.interface, lower(cpe.name), r.device_id, r.mac';
    if (f.after) {
      const [apName, iface, cpeName, mac] = f.after.key;
      where.push(`(${key}) > (${arg(apName)}, ${arg(iface)}, ${arg(cpeName)}, ${arg(f.after.id)}::uuid, ${arg(mac)})`);
    }
    const cursorKey =
      f.limit === undefined ? 'null' : 'json_build_array(lower(ap.name), r.interface, lower(cpe.name), r.mac)::text';
    const r = await db.query<LinkRow & { cursor_k: string }>(
      `select ${REG}, cpe.name as peer_name, ap.name as ap_name, ap.status as ap_status, ap.site_id as ap_site_id,
              cpe.status as cpe_status, cpe.site_id as cpe_site_id,
              ${cursorKey} as cursor_k
         ${from} where ${where.join(' and ')} order by ${key} limit ${arg(f.limit ?? 20_000)}`,
      args,
    );
    // Without paging the rows are the whole list (up to 20,000), and their number its total.
    if (f.limit === undefined || f.countCap === undefined) return { rows: r.rows, total: r.rows.length };
    const n = await db.query<{ n: number }>(
      `select count(*)::int as n from (select 1 ${from}
          where ${where.slice(0, where.length - (f.after ? 1 : 0)).join(' and ')} limit ${f.countCap + 1}) c`,
      countArgs,
    );
    return { rows: r.rows, total: n.rows[0]!.n };
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

  /**
   * Samples of one client on one router since `from` (raw rows, or the hourly rollup) as JSON text built by
   * PostgreSQL, oldest first: `points` (an object per sample, times as ISO text) or `columns` (one array per figure,
   * `t` in Unix seconds, as the metrics series), so no sample becomes an object in Node.
   */
  async signalJson(db: Db, q: { deviceId: string; mac: string; from: Date; hourly: boolean; format: SignalFormat }) {
    const sql = q.hourly
      ? `select bucket as time, interface, signal_avg as signal, signal_min, signal_max, snr_avg as snr,
                ccq_avg as ccq, tx_rate_avg as tx_rate_mbps, rx_rate_avg as rx_rate_mbps
           from wireless_signal_1h where device_id = $1 and mac = $2 and bucket >= $3`
      : `select time, interface, signal, signal as signal_min, signal as signal_max, snr, tx_ccq as ccq,
                tx_rate_mbps, rx_rate_mbps
           from wireless_signal where device_id = $1 and mac = $2 and time >= $3`;
    // Each point's JSON is concatenated text: json_build_object per row cost PostgreSQL four times as much. Points
    // and columns share one sort (interface in byte order, not the locale's collation).
    const order = `time, interface collate "C"`;
    const point = `'{"time":"' || to_char(time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '","interface":'
      || to_json(interface)::text || ${SIGNAL_FIGURES.slice(1)
        .map((f) => `',"${f}":' || ${jsonNumberSql(f)}`)
        .join(' || ')} || '}'`;
    const json =
      q.format === 'points'
        ? `'[' || coalesce(string_agg(${point}, ',' order by ${order}), '') || ']'`
        : jsonColumnsSql(
            [
              ['t', `date_part('epoch', time)::text`],
              ...SIGNAL_FIGURES.map((f): [string, string] => [
                f,
                f === 'interface' ? `coalesce(to_json(interface)::text, 'null')` : jsonNumberSql(f),
              ]),
            ],
            order,
          );
    const r = await db.query<{ json: string }>(`select ${json}::text as json from (${sql}) s`, [
      q.deviceId,
      q.mac,
      q.from,
    ]);
    return r.rows[0]!.json;
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

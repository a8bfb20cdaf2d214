import type pg from 'pg';
import type { z } from 'zod';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { type Db, withSystem, withTenant } from '../../platform/db/tx.js';
import { COUNT_CAP, type Cursor, cappedTotal, encodeCursor, foreignCursor } from '../../platform/http/cursor.js';
import { notFound } from '../../platform/http/errors.js';
import { rawJson } from '../../platform/http/raw-json.js';
import { catalogRepo } from '../catalog/catalog.repo.js';
import { sites } from '../catalog/catalogs.js';
import { devicesSharedRepo } from '../devices/devices.shared.repo.js';
import { tenantsRepo } from '../tenants/tenants.repo.js';
import { DEGRADED_SIGNAL_DBM, DROPPED_WINDOW_MS, LOW_CCQ_PCT, linkState, TREND_DAYS, TREND_DROP_DB } from './state.js';
import { type LinkRow, type RegistrationRow, wirelessReadRepo } from './wireless.read.repo.js';
import { type historyQuery, type issue, LINKS_CURSOR, type LinksQuery, type signalHistory } from './wireless.schema.js';

type Issue = z.infer<typeof issue>;
const siteRepo = catalogRepo(sites);
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function figures(r: RegistrationRow, now: number) {
  return {
    ssid: r.ssid,
    signal: r.signal,
    snr: r.snr,
    tx_ccq: r.tx_ccq,
    rx_ccq: r.rx_ccq,
    tx_rate: r.tx_rate,
    rx_rate: r.rx_rate,
    tx_rate_mbps: r.tx_rate_mbps,
    rx_rate_mbps: r.rx_rate_mbps,
    uptime_seconds: r.uptime_seconds === null ? null : Number(r.uptime_seconds),
    last_ip: r.last_ip,
    band: r.band,
    first_seen: r.first_seen.toISOString(),
    last_seen: r.last_seen.toISOString(),
    gone_at: iso(r.gone_at),
    missed: r.missed,
    state: linkState(r, now),
  };
}

function presentLink(r: LinkRow, now: number) {
  return {
    id: `${r.device_id}:${r.interface}:${r.mac}`,
    ap_device_id: r.device_id,
    ap_name: r.ap_name,
    ap_status: r.ap_status,
    interface: r.interface,
    cpe_device_id: r.peer_device_id as string,
    cpe_name: r.peer_name as string,
    cpe_status: r.cpe_status,
    mac_address: r.mac,
    site_id: r.ap_site_id ?? r.cpe_site_id,
    ...figures(r, now),
  };
}

const trendOf = (t: { recent: number; baseline: number; baseline_at: Date }) => {
  const drop = Math.round((t.baseline - t.recent) * 10) / 10;
  return {
    falling: drop >= TREND_DROP_DB,
    recent_dbm: Math.round(t.recent * 10) / 10,
    baseline_dbm: Math.round(t.baseline * 10) / 10,
    baseline_at: t.baseline_at.toISOString(),
    drop_db: drop,
  };
};

/** The link list's sort key from its cursor, or a 422. */
function linksKey(c: Cursor) {
  try {
    const key = JSON.parse(c.k) as unknown;
    if (Array.isArray(key) && key.length === 4 && key.every((x) => typeof x === 'string'))
      return { key: key as [string, string, string, string], id: c.id };
  } catch {}
  throw foreignCursor();
}

const THRESHOLDS = {
  degraded_signal_dbm: DEGRADED_SIGNAL_DBM,
  low_ccq_pct: LOW_CCQ_PCT,
  dropped_window_seconds: DROPPED_WINDOW_MS / 1000,
  trend_drop_db: TREND_DROP_DB,
  trend_days: TREND_DAYS,
};

/** The access points of one organisation that have something wrong, worst first. */
async function issuesIn(db: Db): Promise<Issue[]> {
  const falling = new Map<string, number>();
  for (const t of await wirelessReadRepo.trends(db))
    if (trendOf(t).falling) falling.set(t.device_id, (falling.get(t.device_id) ?? 0) + 1);
  const out: Issue[] = [];
  for (const a of await wirelessReadRepo.issues(db)) {
    const f = falling.get(a.device_id) ?? 0;
    const issues: Issue['issues'] = [];
    if (a.degraded_clients > 0) issues.push('degraded_signal');
    if (a.low_ccq_clients > 0) issues.push('low_ccq');
    if (a.dropped_clients > 0) issues.push('dropped_clients');
    if (f > 0) issues.push('falling_signal');
    if (issues.length > 0) out.push({ ...a, falling_clients: f, issues });
  }
  return out.sort((x, y) => y.issues.length - x.issues.length || (x.worst_signal ?? 0) - (y.worst_signal ?? 0));
}

export function createWirelessService(deps: { appPool: pg.Pool; systemPool: pg.Pool }) {
  const inTenant = <T>(actor: Actor, fn: (db: Db) => Promise<T>) => withTenant(deps.appPool, actor.tenantId, fn);
  /** Runs `fn` for a device of the caller's organisation; another organisation's is not found. */
  const forDevice = <T>(actor: Actor, deviceId: string, fn: (db: Db) => Promise<T>) =>
    inTenant(actor, async (db) => {
      if (!(await devicesSharedRepo.exists(db, deviceId))) throw notFound('device');
      return fn(db);
    });

  return {
    /** The whole list, or with `limit` a page of it (keyset on AP name, interface, CPE name). */
    async links(actor: Actor, q: LinksQuery & { site_id?: string }) {
      assertCan(actor, 'wireless.read');
      const now = Date.now();
      const after = q.cursor ? linksKey(q.cursor) : undefined;
      const paged = q.limit !== undefined;
      const { rows, total } = await inTenant(actor, async (db) => {
        if (q.site_id && !(await siteRepo.get(db, q.site_id))) throw notFound('site');
        return wirelessReadRepo.links(db, {
          deviceId: q.device_id,
          siteId: q.site_id,
          state: q.state,
          limit: q.limit,
          after,
          ...(paged ? { countCap: COUNT_CAP } : {}),
        });
      });
      const items = rows.map((r) => presentLink(r, now));
      if (!paged) return { items, total };
      const last = rows.length === q.limit ? rows.at(-1) : undefined;
      return {
        items,
        ...cappedTotal(total),
        next_cursor: last ? encodeCursor({ s: LINKS_CURSOR, k: last.cursor_k, id: last.device_id }) : null,
      };
    },

    async deviceLinks(actor: Actor, deviceId: string) {
      assertCan(actor, 'wireless.read');
      const now = Date.now();
      const { rows } = await forDevice(actor, deviceId, (db) => wirelessReadRepo.links(db, { deviceId }));
      return { items: rows.map((r) => presentLink(r, now)), total: rows.length };
    },

    async registrations(actor: Actor, deviceId: string, onlyUnknown = false) {
      assertCan(actor, 'wireless.read');
      const now = Date.now();
      const rows = await forDevice(actor, deviceId, (db) => wirelessReadRepo.registrations(db, deviceId, onlyUnknown));
      return {
        items: rows.map((r) => ({
          interface: r.interface,
          mac_address: r.mac,
          role: r.role,
          peer_device_id: r.peer_device_id,
          peer_name: r.peer_name,
          radio_name: r.radio_name,
          routeros_version: r.routeros_version,
          ...figures(r, now),
        })),
      };
    },

    async rfStats(actor: Actor, deviceId: string) {
      assertCan(actor, 'wireless.read');
      const rows = await forDevice(actor, deviceId, (db) => wirelessReadRepo.radios(db, deviceId));
      return {
        items: rows.map(({ name, mac, updated_at, ...r }) => ({
          interface: name,
          mac_address: mac,
          ...r,
          updated_at: updated_at.toISOString(),
        })),
      };
    },

    /** The samples are JSON built by PostgreSQL (wireless.read.repo signalJson), sent as they are. */
    async signalHistory(
      actor: Actor,
      deviceId: string,
      q: z.infer<typeof historyQuery>,
    ): Promise<z.infer<typeof signalHistory>> {
      assertCan(actor, 'wireless.read');
      const days = { '24h': 1, '7d': 7, '30d': 30 }[q.range];
      const hourly = q.range !== '24h';
      const from = new Date(Date.now() - days * 86_400_000);
      const { samples, trends } = await forDevice(actor, deviceId, async (db) => ({
        samples: await wirelessReadRepo.signalJson(db, {
          deviceId,
          mac: q.mac_address,
          from,
          hourly,
          format: q.format,
        }),
        trends: await wirelessReadRepo.trends(db, { deviceId, mac: q.mac_address }),
      }));
      const t = trends[0];
      const head = JSON.stringify({
        mac_address: q.mac_address,
        range: q.range,
        resolution: hourly ? '1h' : 'raw',
        trend: t ? trendOf(t) : null,
      }).slice(0, -1);
      return rawJson(
        q.format === 'columns' ? `${head},"points":[],"series":${samples}}` : `${head},"points":${samples}}`,
      );
    },

    async issues(actor: Actor) {
      assertCan(actor, 'wireless.read');
      return { items: await inTenant(actor, issuesIn), thresholds: THRESHOLDS };
    },

    /** Every organisation's (super_admin): each read under that organisation's RLS. */
    async fleetIssues(actor: Actor) {
      assertCan(actor, 'wireless.fleet');
      const tenants = await withSystem(deps.systemPool, (db) => tenantsRepo.list(db, 100_000, 0));
      const items: Issue[] = [];
      for (const t of tenants.rows) {
        const found = await withTenant(deps.appPool, t.id, issuesIn);
        for (const i of found) items.push({ ...i, tenant_id: t.id, tenant_name: t.name });
      }
      return { items, thresholds: THRESHOLDS };
    },
  };
}
export type WirelessService = ReturnType<typeof createWirelessService>;

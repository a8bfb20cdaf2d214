import type { Db } from '../../platform/db/tx.js';
import type { SiteMetric, SiteScopeKind } from './site-metrics.js';

// The figures site rules watch, for many sites and sectors at once (a few queries per evaluation, whatever the
// number of rules). Runs as `system` in the schedule and under the tenant's RLS in a rule preview.
//
// - A site's devices: those whose site_id names it. A sector's: those assigned to it, and its AP.
// - A scope's APs: a sector's ap_device_id; for a site, its devices that serve wireless clients (any client
//   registration, current or gone) or are a sector's AP.
// - Clients: registrations on those APs of role 'client'; in the signal series, rows of those APs except the ones
//   where the AP is itself a station (its registration to an upstream AP, role 'ap').

export type SiteScope = { kind: SiteScopeKind; id: string };
export type SiteValues = Map<string, Partial<Record<SiteMetric, number>>>;

export const siteScopeKey = (s: SiteScope) => `${s.kind}:${s.id}`;

const round1 = (n: number) => Math.round(n * 10) / 10;

const DEVICE_COUNTS = `
select 'site' as kind, d.site_id as id, count(*)::int as total, (count(*) filter (where d.status = 'offline'))::int as offline
  from devices d where d.site_id = any($1::uuid[]) group by d.site_id
union all
select 'sector', s.id, count(*)::int, (count(*) filter (where d.status = 'offline'))::int
  from sectors s join devices d on d.sector_id = s.id or d.id = s.ap_device_id
 where s.id = any($2::uuid[]) group by s.id`;

const APS = `
select 'sector' as kind, s.id, s.ap_device_id as device_id from sectors s
 where s.id = any($2::uuid[]) and s.ap_device_id is not null
union
select 'site', d.site_id, d.id from devices d
 where d.site_id = any($1::uuid[])
   and (exists (select 1 from wireless_registrations r where r.device_id = d.id and r.role = 'client')
        or exists (select 1 from sectors s where s.ap_device_id = d.id))`;

const SIGNAL = `
select device_id, sum(signal)::float8 as total, count(*)::int as n from wireless_registrations
 where device_id = any($1::uuid[]) and role = 'client' and gone_at is null and signal is not null and last_seen > $2
 group by device_id`;

// Distinct client MACs per scope in two windows of the signal series: the latest ($4, $5] and an hour earlier
// ($2, $3]. The windows never overlap (the caller keeps them under an hour wide).
const CLIENTS = `
with ap as (select * from json_to_recordset($1::json) as x(scope text, device_id uuid)),
     seen as (
       select distinct ap.scope, w.mac, w.time > $4 as recent
         from ap join wireless_signal w on w.device_id = ap.device_id
        where ((w.time > $2 and w.time <= $3) or (w.time > $4 and w.time <= $5))
          and not exists (select 1 from wireless_registrations r
                           where r.device_id = w.device_id and r.interface = w.interface and r.mac = w.mac
                             and r.role = 'ap'))
select scope, (count(*) filter (where recent))::int as now, (count(*) filter (where not recent))::int as before
  from seen group by scope`;

/**
 * The values of `wanted` metrics for these scopes at `at`. `windowSeconds` is one wireless collection period (with
 * slack): the clients seen within it are "registered now".
 */
export async function readSiteValues(
  db: Db,
  scopes: readonly SiteScope[],
  wanted: ReadonlySet<SiteMetric>,
  at: Date,
  windowSeconds: number,
): Promise<SiteValues> {
  const out: SiteValues = new Map();
  if (scopes.length === 0 || wanted.size === 0) return out;
  const set = (key: string, metric: SiteMetric, value: number) => {
    if (!wanted.has(metric) || !Number.isFinite(value)) return;
    const v = out.get(key) ?? {};
    v[metric] = value;
    out.set(key, v);
  };
  const siteIds = scopes.filter((s) => s.kind === 'site').map((s) => s.id);
  const sectorIds = scopes.filter((s) => s.kind === 'sector').map((s) => s.id);

  if (wanted.has('site_offline_pct') || wanted.has('site_offline_count')) {
    const r = await db.query<{ kind: SiteScopeKind; id: string; total: number; offline: number }>(DEVICE_COUNTS, [
      siteIds,
      sectorIds,
    ]);
    for (const c of r.rows) {
      const key = siteScopeKey(c);
      set(key, 'site_offline_count', c.offline);
      if (c.total > 0) set(key, 'site_offline_pct', round1((c.offline / c.total) * 100));
    }
  }

  if (!wanted.has('sector_avg_signal') && !wanted.has('site_client_drop_pct')) return out;
  const aps = (await db.query<{ kind: SiteScopeKind; id: string; device_id: string }>(APS, [siteIds, sectorIds])).rows;
  if (aps.length === 0) return out;
  const window = windowSeconds * 1000;

  if (wanted.has('sector_avg_signal')) {
    const devices = [...new Set(aps.map((a) => a.device_id))];
    // A registration its AP has not confirmed for two collection periods is not "current" (the AP is not polled).
    const r = await db.query<{ device_id: string; total: number; n: number }>(SIGNAL, [
      devices,
      new Date(at.getTime() - 2 * window),
    ]);
    const byDevice = new Map(r.rows.map((x) => [x.device_id, x]));
    const sums = new Map<string, { total: number; n: number }>();
    for (const a of aps) {
      const d = byDevice.get(a.device_id);
      if (!d) continue;
      const key = siteScopeKey(a);
      const s = sums.get(key) ?? { total: 0, n: 0 };
      s.total += d.total;
      s.n += d.n;
      sums.set(key, s);
    }
    for (const [key, s] of sums) if (s.n > 0) set(key, 'sector_avg_signal', round1(s.total / s.n));
  }

  if (wanted.has('site_client_drop_pct')) {
    const t = at.getTime();
    const r = await db.query<{ scope: string; now: number; before: number }>(CLIENTS, [
      JSON.stringify(aps.map((a) => ({ scope: siteScopeKey(a), device_id: a.device_id }))),
      new Date(t - 3_600_000 - window),
      new Date(t - 3_600_000),
      new Date(t - window),
      at,
    ]);
    for (const c of r.rows)
      if (c.before > 0) set(c.scope, 'site_client_drop_pct', round1(((c.before - c.now) / c.before) * 100));
  }
  return out;
}

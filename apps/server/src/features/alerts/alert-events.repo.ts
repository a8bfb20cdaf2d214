import type { Db } from '../../platform/db/tx.js';
import type { Operator } from './state.js';

export type AlertRow = {
  id: string;
  tenant_id: string;
  rule_id: string | null;
  /** Exactly one of device_id, site_id and sector_id is set: the alert's owner (site alerts: migration 061). */
  device_id: string | null;
  site_id: string | null;
  sector_id: string | null;
  device_name: string;
  /** The site of a site alert, or of a sector alert's sector; null for a device alert. */
  owner_site_id: string | null;
  site_name: string | null;
  sector_name: string | null;
  target: string;
  rule_name: string;
  metric: string;
  operator: Operator;
  threshold: number;
  severity: 'info' | 'warning' | 'critical';
  state: 'firing' | 'acknowledged' | 'resolved';
  value: number | null;
  last_value: number | null;
  started_at: Date;
  resolved_at: Date | null;
  resolved_by: { label?: string } | null;
  acknowledged_at: Date | null;
  acknowledged_by: { label?: string } | null;
  acknowledged_note: string | null;
  flapping: boolean;
  in_maintenance: boolean;
  silenced: boolean;
  /** started_at as text, to the microsecond (the page's cursor); not in UPDATE … RETURNING rows. */
  cursor_k?: string;
};

export type NewAlert = {
  id: string;
  tenant_id: string;
  rule_id: string;
  device_id: string | null;
  site_id: string | null;
  sector_id: string | null;
  target: string;
  rule_name: string;
  metric: string;
  operator: Operator;
  threshold: number;
  severity: string;
  value: number;
  started_at: Date;
  in_maintenance: boolean;
  silenced: boolean;
};

const SELECT = `select a.*, a.started_at::text as cursor_k, coalesce(d.name, '') as device_name, coalesce(a.site_id, sc.site_id) as owner_site_id,
       st.name as site_name, sc.name as sector_name
  from alert_events a
  left join devices d on d.id = a.device_id
  left join sectors sc on sc.id = a.sector_id
  left join sites st on st.id = coalesce(a.site_id, sc.site_id)`;
/** What an UPDATE … RETURNING gives in place of the joined names (callers re-read what they show). */
const RETURNING = `returning *, '' as device_name, null::uuid as owner_site_id, null::text as site_name,
  null::text as sector_name`;

export type AlertFilter = {
  state?: 'firing' | 'acknowledged' | 'resolved' | 'active';
  severity?: string;
  device_id?: string;
  rule_id?: string;
  /** Alerts of the site, of its sectors and of its devices. */
  site_id?: string;
  since?: string;
  limit: number;
  /** Where the previous page ended: its last started_at (as text, to the microsecond) and id. */
  after?: { k: string; id: string } | null;
};

export const alertEventsRepo = {
  async page(db: Db, f: AlertFilter): Promise<AlertRow[]> {
    const r = await db.query<AlertRow>(
      `${SELECT}
        where ($1::text is null or (case when $1 = 'active' then a.state <> 'resolved' else a.state = $1 end))
          and ($2::text is null or a.severity = $2)
          and ($3::uuid is null or a.device_id = $3)
          and ($4::uuid is null or a.rule_id = $4)
          and ($5::timestamptz is null or a.started_at >= $5)
          and ($6::timestamptz is null or (a.started_at, a.id) < ($6, $7::uuid))
          and ($9::uuid is null or a.site_id = $9
               or a.sector_id = any(array(select id from sectors where site_id = $9))
               or a.device_id = any(array(select id from devices where site_id = $9)))
        order by a.started_at desc, a.id desc limit $8`,
      [
        f.state ?? null,
        f.severity ?? null,
        f.device_id ?? null,
        f.rule_id ?? null,
        f.since ?? null,
        f.after?.k ?? null,
        f.after?.id ?? null,
        f.limit,
        f.site_id ?? null,
      ],
    );
    return r.rows;
  },

  async get(db: Db, id: string): Promise<AlertRow | undefined> {
    return (await db.query<AlertRow>(`${SELECT} where a.id = $1`, [id])).rows[0];
  },

  async count(db: Db): Promise<Array<{ severity: string; state: string; n: number }>> {
    const r = await db.query(
      `select severity, state, count(*)::int as n from alert_events where state <> 'resolved' group by severity, state`,
    );
    return r.rows;
  },

  async insert(db: Db, rows: readonly NewAlert[]): Promise<void> {
    if (rows.length === 0) return;
    await db.query(
      `insert into alert_events (id, tenant_id, rule_id, device_id, site_id, sector_id, target, rule_name, metric,
                                 operator, threshold, severity, state, value, last_value, started_at, in_maintenance,
                                 silenced)
       select id, tenant_id, rule_id, device_id, site_id, sector_id, target, rule_name, metric, operator, threshold,
              severity, 'firing', value, value, started_at, in_maintenance, silenced
         from json_to_recordset($1::json) as x(id uuid, tenant_id uuid, rule_id uuid, device_id uuid, site_id uuid,
              sector_id uuid, target text,
              rule_name text, metric text, operator text, threshold double precision, severity text,
              value double precision, started_at timestamptz, in_maintenance boolean, silenced boolean)`,
      [JSON.stringify(rows)],
    );
  },

  /** Resolve open alerts (automatically: `by` null). Returns the ones this call resolved. */
  async resolve(db: Db, ids: readonly string[], at: Date, by: object | null): Promise<AlertRow[]> {
    if (ids.length === 0) return [];
    const r = await db.query<AlertRow>(
      `update alert_events set state = 'resolved', resolved_at = $2, resolved_by = $3, flapping = false, updated_at = now()
        where id = any($1::uuid[]) and state <> 'resolved' ${RETURNING}`,
      [ids, at, by ? JSON.stringify(by) : null],
    );
    return r.rows;
  },

  async acknowledge(db: Db, id: string, by: object, note: string): Promise<AlertRow | undefined> {
    const r = await db.query<AlertRow>(
      `update alert_events set state = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2,
              acknowledged_note = $3, updated_at = now()
        where id = $1 and state = 'firing' ${RETURNING}`,
      [id, JSON.stringify(by), note],
    );
    return r.rows[0];
  },

  async setValues(db: Db, rows: ReadonlyArray<{ id: string; value: number | null; flapping: boolean }>): Promise<void> {
    if (rows.length === 0) return;
    await db.query(
      `update alert_events a set last_value = x.value, flapping = x.flapping, updated_at = now()
         from json_to_recordset($1::json) as x(id uuid, value double precision, flapping boolean)
        where a.id = x.id and a.state <> 'resolved'`,
      [JSON.stringify(rows)],
    );
  },

  /** Open alerts of a rule (resolved when the rule is changed, disabled or deleted). */
  async openOfRule(db: Db, ruleId: string): Promise<string[]> {
    const r = await db.query<{ id: string }>(`select id from alert_events where rule_id = $1 and state <> 'resolved'`, [
      ruleId,
    ]);
    return r.rows.map((x) => x.id);
  },
};

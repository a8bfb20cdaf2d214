import type { Db } from '../../platform/db/tx.js';
import type { ScopeKind } from '../catalog/scope.js';
import type { RuleCreate, RuleUpdate } from './alerts.schema.js';
import type { Operator } from './state.js';

export type RuleRow = {
  id: string;
  tenant_id: string;
  name: string;
  metric: string;
  operator: Operator;
  threshold: number;
  duration_polls: number;
  duration_seconds: number | null;
  clear_polls: number;
  severity: 'info' | 'warning' | 'critical';
  scope_kind: ScopeKind;
  scope_id: string | null;
  interface: string | null;
  link_speed_bps: string | null;
  channel_ids: string[];
  flap_transitions: number;
  flap_window_seconds: number;
  enabled: boolean;
  silenced_until: Date | null;
  is_default: boolean;
  created_at: Date;
  updated_at: Date;
};

const COLS = `id, tenant_id, name, metric, operator, threshold, duration_polls, duration_seconds, clear_polls, severity,
  scope_kind, scope_id, interface, link_speed_bps, channel_ids, flap_transitions, flap_window_seconds, enabled,
  silenced_until, is_default, created_at, updated_at`;

/** The columns a body sets (scope split into its two columns). */
function columnsOf(body: RuleUpdate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined) continue;
    if (k === 'scope') {
      const s = v as { kind: ScopeKind; id?: string };
      out.scope_kind = s.kind;
      out.scope_id = s.id ?? null;
    } else out[k] = v;
  }
  return out;
}

export const rulesRepo = {
  async list(db: Db): Promise<Array<RuleRow & { active_count: number }>> {
    const r = await db.query(
      `select ${COLS}, (select count(*)::int from alert_events e where e.rule_id = r.id and e.state <> 'resolved') as active_count
         from alert_rules r order by lower(name), id`,
    );
    return r.rows;
  },

  async get(db: Db, id: string): Promise<(RuleRow & { active_count: number }) | undefined> {
    const r = await db.query(
      `select ${COLS}, (select count(*)::int from alert_events e where e.rule_id = r.id and e.state <> 'resolved') as active_count
         from alert_rules r where id = $1`,
      [id],
    );
    return r.rows[0];
  },

  /** Site rules (of these metrics) scoped to a site or to one of its sectors. */
  async listOfSite(
    db: Db,
    siteId: string,
    siteMetrics: readonly string[],
  ): Promise<Array<RuleRow & { active_count: number }>> {
    const r = await db.query(
      `select ${COLS}, (select count(*)::int from alert_events e where e.rule_id = r.id and e.state <> 'resolved') as active_count
         from alert_rules r
        where r.metric = any($2::text[])
          and ((r.scope_kind = 'site' and r.scope_id = $1)
               or (r.scope_kind = 'sector' and r.scope_id in (select id from sectors where site_id = $1)))
        order by lower(name), id`,
      [siteId, siteMetrics],
    );
    return r.rows;
  },

  /** Whether a rule is one of a site's (as listOfSite lists them). */
  async isOfSite(db: Db, ruleId: string, siteId: string, siteMetrics: readonly string[]): Promise<boolean> {
    const r = await db.query(
      `select 1 from alert_rules r
        where r.id = $1 and r.metric = any($3::text[])
          and ((r.scope_kind = 'site' and r.scope_id = $2)
               or (r.scope_kind = 'sector' and r.scope_id in (select id from sectors where site_id = $2)))`,
      [ruleId, siteId, siteMetrics],
    );
    return r.rowCount === 1;
  },

  async insert(db: Db, tenantId: string, body: RuleCreate): Promise<string> {
    const cols = columnsOf(body);
    const keys = Object.keys(cols);
    const r = await db.query<{ id: string }>(
      `insert into alert_rules (tenant_id, ${keys.join(', ')}) values ($1, ${keys.map((_, i) => `$${i + 2}`).join(', ')}) returning id`,
      [tenantId, ...keys.map((k) => cols[k])],
    );
    return r.rows[0]!.id;
  },

  async update(db: Db, id: string, body: RuleUpdate): Promise<boolean> {
    const cols = columnsOf(body);
    const keys = Object.keys(cols);
    if (keys.length === 0) return (await db.query('select 1 from alert_rules where id = $1', [id])).rowCount === 1;
    const r = await db.query(
      `update alert_rules set ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')}, updated_at = now() where id = $1`,
      [id, ...keys.map((k) => cols[k])],
    );
    return r.rowCount === 1;
  },

  async remove(db: Db, id: string): Promise<boolean> {
    return (await db.query('delete from alert_rules where id = $1', [id])).rowCount === 1;
  },

  /** Enabled site rules of every tenant (the site evaluation runs as `system`, across tenants). */
  async enabledSiteRules(db: Db, siteMetrics: readonly string[]): Promise<RuleRow[]> {
    const r = await db.query(
      `select ${COLS} from alert_rules
        where enabled and metric = any($1::text[]) and scope_kind in ('site', 'sector') and scope_id is not null
        order by tenant_id, id`,
      [siteMetrics],
    );
    return r.rows;
  },

  /** Enabled rules of these tenants (the evaluator runs as `system`, across tenants). */
  async enabledOf(db: Db, tenantIds: readonly string[]): Promise<RuleRow[]> {
    const r = await db.query(`select ${COLS} from alert_rules where tenant_id = any($1::uuid[]) and enabled`, [
      tenantIds,
    ]);
    return r.rows;
  },
};

import type { Db } from '../../platform/db/tx.js';
import type { SiteScope } from './site-values.repo.js';
import type { EvalState } from './state.js';

// alert_site_states: the evaluation state of a site rule per site or sector (migration 061), the counterpart of
// states.repo.ts for alerts that belong to no device.

export type SiteStateKey = { tenantId: string; ruleId: string; scope: SiteScope };
export type StoredSiteState = SiteStateKey & EvalState;

export const siteStateKey = (k: Pick<SiteStateKey, 'ruleId' | 'scope'>) => `${k.ruleId}|${k.scope.kind}:${k.scope.id}`;

type Row = {
  tenant_id: string;
  rule_id: string;
  site_id: string | null;
  sector_id: string | null;
  breach_count: number;
  clear_count: number;
  first_breach_at: Date | null;
  last_at: Date;
  last_value: number | null;
  active: boolean;
  alert_id: string | null;
  transitions: Date[];
  flapping: boolean;
};

const fromRow = (r: Row): StoredSiteState => ({
  tenantId: r.tenant_id,
  ruleId: r.rule_id,
  scope: r.site_id ? { kind: 'site', id: r.site_id } : { kind: 'sector', id: r.sector_id! },
  breachCount: r.breach_count,
  clearCount: r.clear_count,
  firstBreachAt: r.first_breach_at,
  lastAt: r.last_at,
  lastValue: r.last_value,
  active: r.active,
  alertId: r.alert_id,
  transitions: r.transitions,
  flapping: r.flapping,
});

const ownerOf = (s: SiteScope) => ({
  site_id: s.kind === 'site' ? s.id : null,
  sector_id: s.kind === 'sector' ? s.id : null,
});

export const siteStatesRepo = {
  /** The states of these rules, locked: an evaluation and a rule change never interleave on one state. */
  async forRules(db: Db, ruleIds: readonly string[]): Promise<StoredSiteState[]> {
    const r = await db.query<Row>(
      `select * from alert_site_states where rule_id = any($1::uuid[])
        order by rule_id, coalesce(site_id, sector_id) for update`,
      [ruleIds],
    );
    return r.rows.map(fromRow);
  },

  async upsert(db: Db, states: readonly StoredSiteState[]): Promise<void> {
    if (states.length === 0) return;
    await db.query(
      `insert into alert_site_states (tenant_id, rule_id, site_id, sector_id, breach_count, clear_count,
                                      first_breach_at, last_at, last_value, active, alert_id, transitions, flapping)
       select tenant_id, rule_id, site_id, sector_id, breach_count, clear_count, first_breach_at, last_at, last_value,
              active, alert_id, transitions, flapping
         from json_to_recordset($1::json) as x(tenant_id uuid, rule_id uuid, site_id uuid, sector_id uuid,
              breach_count int, clear_count int, first_breach_at timestamptz, last_at timestamptz,
              last_value double precision, active boolean, alert_id uuid, transitions timestamptz[], flapping boolean)
       on conflict (rule_id, coalesce(site_id, sector_id)) do update set
         breach_count = excluded.breach_count, clear_count = excluded.clear_count,
         first_breach_at = excluded.first_breach_at, last_at = excluded.last_at, last_value = excluded.last_value,
         active = excluded.active, alert_id = excluded.alert_id, transitions = excluded.transitions,
         flapping = excluded.flapping`,
      [
        JSON.stringify(
          states.map((s) => ({
            tenant_id: s.tenantId,
            rule_id: s.ruleId,
            ...ownerOf(s.scope),
            breach_count: s.breachCount,
            clear_count: s.clearCount,
            first_breach_at: s.firstBreachAt,
            last_at: s.lastAt,
            last_value: s.lastValue,
            active: s.active,
            alert_id: s.alertId,
            transitions: s.transitions,
            flapping: s.flapping,
          })),
        ),
      ],
    );
  },

  async remove(db: Db, keys: readonly Pick<SiteStateKey, 'ruleId' | 'scope'>[]): Promise<void> {
    if (keys.length === 0) return;
    await db.query(
      `delete from alert_site_states s using json_to_recordset($1::json) as x(rule_id uuid, owner_id uuid)
        where s.rule_id = x.rule_id and coalesce(s.site_id, s.sector_id) = x.owner_id`,
      [JSON.stringify(keys.map((k) => ({ rule_id: k.ruleId, owner_id: k.scope.id })))],
    );
  },

  /** Forget a rule's states (its definition changed, or it was disabled): the next evaluation starts afresh. */
  async clearRule(db: Db, ruleId: string): Promise<void> {
    await db.query('delete from alert_site_states where rule_id = $1', [ruleId]);
  },

  /** A resolved-by-hand alert: its state starts afresh, so a condition that persists fires again. */
  async clearAlert(db: Db, alertId: string): Promise<void> {
    await db.query('delete from alert_site_states where alert_id = $1', [alertId]);
  },
};

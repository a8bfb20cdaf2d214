import type { Db } from '../../platform/db/tx.js';
import type { SiteScope } from './site-values.repo.js';
import type { EvalState } from './state.js';
import { EVAL_COLUMNS, EVAL_TYPES, EVAL_UPDATE, type EvalRow, evalFromRow, evalToRow } from './state-row.js';

// alert_site_states: the evaluation state of a site rule per site or sector (migration 061), the counterpart of
// states.repo.ts for alerts that belong to no device.

export type SiteStateKey = { tenantId: string; ruleId: string; scope: SiteScope };
export type StoredSiteState = SiteStateKey & EvalState;

export const siteStateKey = (k: Pick<SiteStateKey, 'ruleId' | 'scope'>) => `${k.ruleId}|${k.scope.kind}:${k.scope.id}`;

type Row = EvalRow & { tenant_id: string; rule_id: string; site_id: string | null; sector_id: string | null };

const fromRow = (r: Row): StoredSiteState => ({
  tenantId: r.tenant_id,
  ruleId: r.rule_id,
  scope: r.site_id ? { kind: 'site', id: r.site_id } : { kind: 'sector', id: r.sector_id! },
  ...evalFromRow(r),
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
      `insert into alert_site_states (tenant_id, rule_id, site_id, sector_id, ${EVAL_COLUMNS})
       select tenant_id, rule_id, site_id, sector_id, ${EVAL_COLUMNS}
         from json_to_recordset($1::json) as x(tenant_id uuid, rule_id uuid, site_id uuid, sector_id uuid, ${EVAL_TYPES})
       on conflict (rule_id, coalesce(site_id, sector_id)) do update set ${EVAL_UPDATE}`,
      [
        JSON.stringify(
          states.map((s) => ({ tenant_id: s.tenantId, rule_id: s.ruleId, ...ownerOf(s.scope), ...evalToRow(s) })),
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

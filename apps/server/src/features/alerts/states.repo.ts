import type { Db } from '../../platform/db/tx.js';
import type { EvalState } from './state.js';
import { EVAL_COLUMNS, EVAL_TYPES, EVAL_UPDATE, type EvalRow, evalFromRow, evalToRow } from './state-row.js';

export type StateKey = { tenantId: string; ruleId: string; deviceId: string; target: string };
export type StoredState = StateKey & EvalState;

export const stateKey = (k: Pick<StateKey, 'ruleId' | 'deviceId' | 'target'>) =>
  `${k.ruleId}|${k.deviceId}|${k.target}`;

type Row = EvalRow & { tenant_id: string; rule_id: string; device_id: string; target: string };

const fromRow = (r: Row): StoredState => ({
  tenantId: r.tenant_id,
  ruleId: r.rule_id,
  deviceId: r.device_id,
  target: r.target,
  ...evalFromRow(r),
});

export const statesRepo = {
  /** The states of these devices, locked: two evaluations of one device never interleave. */
  async forDevices(db: Db, deviceIds: readonly string[]): Promise<StoredState[]> {
    const r = await db.query<Row>(
      'select * from alert_states where device_id = any($1::uuid[]) order by rule_id, device_id, target for update',
      [deviceIds],
    );
    return r.rows.map(fromRow);
  },

  async upsert(db: Db, states: readonly StoredState[]): Promise<void> {
    if (states.length === 0) return;
    await db.query(
      `insert into alert_states (tenant_id, rule_id, device_id, target, ${EVAL_COLUMNS})
       select tenant_id, rule_id, device_id, target, ${EVAL_COLUMNS}
         from json_to_recordset($1::json) as x(tenant_id uuid, rule_id uuid, device_id uuid, target text, ${EVAL_TYPES})
       on conflict (rule_id, device_id, target) do update set ${EVAL_UPDATE}`,
      [
        JSON.stringify(
          states.map((s) => ({
            tenant_id: s.tenantId,
            rule_id: s.ruleId,
            device_id: s.deviceId,
            target: s.target,
            ...evalToRow(s),
          })),
        ),
      ],
    );
  },

  async remove(db: Db, keys: readonly Pick<StateKey, 'ruleId' | 'deviceId' | 'target'>[]): Promise<void> {
    if (keys.length === 0) return;
    await db.query(
      `delete from alert_states s using json_to_recordset($1::json) as x(rule_id uuid, device_id uuid, target text)
        where s.rule_id = x.rule_id and s.device_id = x.device_id and s.target = x.target`,
      [JSON.stringify(keys.map((k) => ({ rule_id: k.ruleId, device_id: k.deviceId, target: k.target })))],
    );
  },

  /** Forget a rule's states (its definition changed, or it was disabled): the next results start afresh. */
  async clearRule(db: Db, ruleId: string): Promise<void> {
    await db.query('delete from alert_states where rule_id = $1', [ruleId]);
  },

  /** A resolved-by-hand alert: its state starts afresh, so a condition that persists fires again. */
  async clearAlert(db: Db, alertId: string): Promise<void> {
    await db.query('delete from alert_states where alert_id = $1', [alertId]);
  },
};

import type { Db } from '../../platform/db/tx.js';
import type { EvalState } from './state.js';

export type StateKey = { tenantId: string; ruleId: string; deviceId: string; target: string };
export type StoredState = StateKey & EvalState;

export const stateKey = (k: Pick<StateKey, 'ruleId' | 'deviceId' | 'target'>) =>
  `${k.ruleId}|${k.deviceId}|${k.target}`;

type Row = {
  tenant_id: string;
  rule_id: string;
  device_id: string;
  target: string;
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

const fromRow = (r: Row): StoredState => ({
  tenantId: r.tenant_id,
  ruleId: r.rule_id,
  deviceId: r.device_id,
  target: r.target,
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
      `insert into alert_states (tenant_id, rule_id, device_id, target, breach_count, clear_count, first_breach_at, last_at,
                                 last_value, active, alert_id, transitions, flapping)
       select tenant_id, rule_id, device_id, target, breach_count, clear_count, first_breach_at, last_at, last_value,
              active, alert_id, transitions, flapping
         from json_to_recordset($1::json) as x(tenant_id uuid, rule_id uuid, device_id uuid, target text,
              breach_count int, clear_count int, first_breach_at timestamptz, last_at timestamptz,
              last_value double precision, active boolean, alert_id uuid, transitions timestamptz[], flapping boolean)
       on conflict (rule_id, device_id, target) do update set
         breach_count = excluded.breach_count, clear_count = excluded.clear_count,
         first_breach_at = excluded.first_breach_at, last_at = excluded.last_at, last_value = excluded.last_value,
         active = excluded.active, alert_id = excluded.alert_id, transitions = excluded.transitions,
         flapping = excluded.flapping`,
      [
        JSON.stringify(
          states.map((s) => ({
            tenant_id: s.tenantId,
            rule_id: s.ruleId,
            device_id: s.deviceId,
            target: s.target,
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

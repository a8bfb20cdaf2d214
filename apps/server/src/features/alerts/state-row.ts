import type { EvalState } from './state.js';

// The evaluation state's columns, shared by alert_states (per device) and alert_site_states (per site or sector):
// one mapping each way and one set of SQL fragments, so the two tables cannot drift apart.

export type EvalRow = {
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

export const evalFromRow = (r: EvalRow): EvalState => ({
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

export const evalToRow = (s: EvalState): EvalRow => ({
  breach_count: s.breachCount,
  clear_count: s.clearCount,
  first_breach_at: s.firstBreachAt,
  last_at: s.lastAt,
  last_value: s.lastValue,
  active: s.active,
  alert_id: s.alertId,
  transitions: s.transitions,
  flapping: s.flapping,
});

/** The columns, in insert order. */
export const EVAL_COLUMNS =
  'breach_count, clear_count, first_breach_at, last_at, last_value, active, alert_id, transitions, flapping';
/** Their types in a json_to_recordset column list. */
export const EVAL_TYPES = `breach_count int, clear_count int, first_breach_at timestamptz, last_at timestamptz,
  last_value double precision, active boolean, alert_id uuid, transitions timestamptz[], flapping boolean`;
/** The upsert's update list. */
export const EVAL_UPDATE = EVAL_COLUMNS.split(', ')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');

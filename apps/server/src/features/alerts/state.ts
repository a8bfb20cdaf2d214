// The state machine of one (rule, device, target), pure. Hysteresis: `active` turns on after `durationPolls`
// breaching results in a row (and, when the rule says so, after breaching for `durationSeconds`), and off after
// `clearPolls` clear ones. Each change of `active` is a transition; too many within the flap window make the state
// flapping: the alert then stays open (no resolve, no new fire, so nothing is sent) until it has been stable for a
// whole window.

export type Operator = '>' | '>=' | '<' | '<=' | '==' | '!=';

export type RuleParams = {
  operator: Operator;
  threshold: number;
  durationPolls: number;
  durationSeconds: number | null;
  clearPolls: number;
  flapTransitions: number;
  flapWindowSeconds: number;
};

export type EvalState = {
  breachCount: number;
  clearCount: number;
  firstBreachAt: Date | null;
  lastAt: Date;
  lastValue: number | null;
  active: boolean;
  alertId: string | null;
  transitions: Date[];
  flapping: boolean;
};

/** What the caller must do with the alert event after a step. */
export type Action =
  | 'open' // a new alert event, firing
  | 'close' // resolve the open alert event
  | 'value' // the open alert's latest value changed
  | 'flapping' // the open alert became flapping
  | 'steady' // the open alert stopped flapping and is still firing
  | null;

export function breaches(op: Operator, value: number, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

export const emptyState = (at: Date): EvalState => ({
  breachCount: 0,
  clearCount: 0,
  firstBreachAt: null,
  lastAt: at,
  lastValue: null,
  active: false,
  alertId: null,
  transitions: [],
  flapping: false,
});

/**
 * One result's value applied to the state. Returns null when the result is not newer than the last one evaluated
 * (a redelivered poll result changes nothing).
 */
export function step(
  rule: RuleParams,
  prev: EvalState | undefined,
  value: number,
  at: Date,
): { state: EvalState; action: Action } | null {
  if (prev && at.getTime() <= prev.lastAt.getTime()) return null;
  const s: EvalState = prev ? { ...prev, transitions: [...prev.transitions] } : emptyState(at);
  const windowStart = at.getTime() - rule.flapWindowSeconds * 1000;
  s.transitions = s.transitions.filter((t) => t.getTime() > windowStart);
  s.lastAt = at;
  const valueChanged = s.lastValue !== value;
  s.lastValue = value;

  const breach = breaches(rule.operator, value, rule.threshold);
  let turned: 'on' | 'off' | null = null;
  if (breach) {
    s.breachCount++;
    s.clearCount = 0;
    s.firstBreachAt ??= at;
    const longEnough =
      rule.durationSeconds === null || at.getTime() - s.firstBreachAt.getTime() >= rule.durationSeconds * 1000;
    if (!s.active && s.breachCount >= rule.durationPolls && longEnough) turned = 'on';
  } else {
    s.clearCount++;
    s.breachCount = 0;
    s.firstBreachAt = null;
    if (s.active && s.clearCount >= rule.clearPolls) turned = 'off';
  }
  if (turned) {
    s.active = turned === 'on';
    s.transitions.push(at);
  }

  const wasFlapping = s.flapping;
  if (!s.flapping && s.transitions.length >= rule.flapTransitions && s.alertId) s.flapping = true;
  else if (s.flapping && s.transitions.length === 0) s.flapping = false;

  if (s.flapping) return { state: s, action: wasFlapping ? (valueChanged ? 'value' : null) : 'flapping' };
  if (wasFlapping) {
    // Stable for a whole window: settle to what the condition is now.
    if (s.active && s.alertId) return { state: s, action: 'steady' };
    if (!s.active && s.alertId) return { state: s, action: 'close' };
  }
  if (s.active && !s.alertId) return { state: s, action: 'open' };
  if (!s.active && s.alertId) return { state: s, action: 'close' };
  if (s.alertId && valueChanged) return { state: s, action: 'value' };
  return { state: s, action: null };
}

/** Whether a state row is worth keeping: it remembers a breach, an open alert or recent transitions. */
export const worthKeeping = (s: EvalState) =>
  s.breachCount > 0 || s.active || s.alertId !== null || s.transitions.length > 0 || s.flapping;

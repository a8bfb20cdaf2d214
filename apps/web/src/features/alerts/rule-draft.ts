import type { AlertRule, MetricName, Operator, RuleDraft, ScopeKind, Severity } from '@/api/alerts';

// The rule editor's form: what the inputs hold (text, as typed) and the API body it becomes. Numbers are sent as
// typed, so a bad one comes back from the server as an error on its field.

export type RuleForm = {
  name: string;
  metric: MetricName;
  operator: Operator;
  threshold: string;
  duration_polls: string;
  /** Empty: no minimum time. */
  duration_seconds: string;
  clear_polls: string;
  severity: Severity;
  scope: { kind: ScopeKind; id?: string };
  /** Empty: every interface, each its own alert. */
  interface: string;
  /** Mbps; empty: only links whose speed TOD knows. */
  link_speed_mbps: string;
  channel_ids: string[];
  flap_transitions: string;
  flap_window_minutes: string;
  enabled: boolean;
};

export const newRuleForm = (): RuleForm => ({
  name: '',
  metric: 'cpu_load',
  operator: '>=',
  threshold: '90',
  duration_polls: '3',
  duration_seconds: '',
  clear_polls: '1',
  severity: 'warning',
  scope: { kind: 'organisation' },
  interface: '',
  link_speed_mbps: '',
  channel_ids: [],
  flap_transitions: '6',
  flap_window_minutes: '30',
  enabled: true,
});

export function ruleForm(r: AlertRule): RuleForm {
  return {
    name: r.name,
    metric: r.metric,
    operator: r.operator,
    threshold: String(r.threshold),
    duration_polls: String(r.duration_polls),
    duration_seconds: r.duration_seconds === null ? '' : String(r.duration_seconds),
    clear_polls: String(r.clear_polls),
    severity: r.severity,
    scope: r.scope.id ? { kind: r.scope.kind, id: r.scope.id } : { kind: r.scope.kind },
    interface: r.interface ?? '',
    link_speed_mbps: r.link_speed_bps === null ? '' : String(r.link_speed_bps / 1e6),
    channel_ids: r.channel_ids,
    flap_transitions: String(r.flap_transitions),
    flap_window_minutes: String(r.flap_window_seconds / 60),
    enabled: r.enabled,
  };
}

/** A number as typed: empty or not a number is NaN, which the server refuses with a message on the field. */
const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
const orNull = (s: string) => (s.trim() === '' ? null : Number(s));

/** The API body; `perInterface` says whether the interface field applies to the chosen metric. */
export function ruleBody(f: RuleForm, perInterface: boolean): RuleDraft {
  const mbps = orNull(f.link_speed_mbps);
  return {
    name: f.name,
    metric: f.metric,
    operator: f.operator,
    threshold: num(f.threshold),
    duration_polls: num(f.duration_polls),
    duration_seconds: orNull(f.duration_seconds),
    clear_polls: num(f.clear_polls),
    severity: f.severity,
    scope: f.scope.kind === 'organisation' ? { kind: 'organisation' } : { kind: f.scope.kind, id: f.scope.id },
    interface: perInterface && f.interface.trim() ? f.interface.trim() : null,
    link_speed_bps: perInterface && f.metric === 'interface_util_pct' && mbps !== null ? Math.round(mbps * 1e6) : null,
    channel_ids: f.channel_ids,
    flap_transitions: num(f.flap_transitions),
    flap_window_seconds: Math.round(num(f.flap_window_minutes) * 60),
    enabled: f.enabled,
  };
}

/**
 * What the preview checks: the body once every number in it is one and a narrower scope names its entry; null
 * while the form is half typed (the preview keeps its last answer meanwhile).
 */
export function previewBody(f: RuleForm, perInterface: boolean): RuleDraft | null {
  const b = ruleBody(f, perInterface);
  const numbers = [b.threshold, b.duration_polls, b.clear_polls, b.flap_transitions, b.flap_window_seconds];
  if (numbers.some((n) => !Number.isFinite(n))) return null;
  if (f.scope.kind !== 'organisation' && !f.scope.id) return null;
  if (b.duration_seconds !== null && !Number.isFinite(b.duration_seconds)) return null;
  // The preview ignores the name, but the server wants one.
  return { ...b, name: b.name.trim() || 'Preview' };
}

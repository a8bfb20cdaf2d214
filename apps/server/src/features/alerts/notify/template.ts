import {
  alertDuration,
  clip,
  conditionOf,
  formatNumber,
  formatTime,
  formatValue,
  metricLabel,
  sourceOf,
  subjectOf,
  tagOf,
} from './format.js';
import type { AlertNotice } from './types.js';

// Message templates: text with {{variable}} placeholders from a fixed list. Nothing is evaluated and nothing is
// looked up on an object: a name is either in the list or refused when the template is saved (and left as typed
// should one reach rendering anyway), so {{constructor}} or {{__proto__}} reach nothing.

export const TEMPLATE_MAX_BYTES = 4096;
/** A rendered message is cut here: chat blocks and subjects have limits, and a message is one line or a few. */
export const MESSAGE_MAX_CHARS = 3000;

export const TEMPLATE_VARIABLES = {
  tag: 'CRITICAL, WARNING or INFO while firing; RESOLVED; ACKNOWLEDGED',
  status: 'firing, resolved or acknowledged',
  event: 'alert.firing, alert.resolved or alert.acknowledged',
  severity: 'info, warning or critical',
  'rule.name': 'the rule',
  'rule.id': "the rule's id",
  'device.name': 'the device',
  'device.host': "the device's address",
  'device.id': "the device's id",
  source: 'what the alert is about: the device, or the site (site / sector) of a site alert',
  'site.name': "a site alert's site (or its sector's site)",
  'site.id': "the site's id",
  'sector.name': "a sector alert's sector",
  'sector.id': "the sector's id",
  'organisation.name': 'the organisation',
  'organisation.id': "the organisation's id",
  metric: 'the metric, e.g. cpu_load',
  metric_label: "the metric's name, e.g. CPU load",
  interface: 'the interface, for per-interface rules',
  subject: 'metric name and interface, e.g. Interface receive (ether1)',
  condition: 'what was seen, e.g. CPU load 95% > 90%',
  operator: '> >= < <= == !=',
  value: 'the value with its unit, e.g. 950 Mbps',
  threshold: 'the threshold with its unit',
  value_raw: 'the value as a plain number',
  threshold_raw: 'the threshold as a plain number',
  unit: 'the unit, e.g. % or bps',
  started_at: 'when it started (UTC)',
  resolved_at: 'when it resolved (UTC)',
  duration: 'how long it lasted, e.g. 2h 5m',
  acknowledged_by: 'who acknowledged it',
  note: 'the acknowledgement note',
  url: 'the link to the alert in TOD',
  alert_id: "the alert's id",
} as const;

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
const KNOWN: ReadonlySet<string> = new Set(Object.keys(TEMPLATE_VARIABLES));

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
// Tab, line feed and carriage return are text; other control characters are not.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The first problem with a template, or null when it can be saved. */
export function validateTemplate(text: string): string | null {
  if (Buffer.byteLength(text, 'utf8') > TEMPLATE_MAX_BYTES)
    return `the template is longer than ${TEMPLATE_MAX_BYTES} bytes`;
  if (text.trim() === '') return 'the template is empty';
  if (CONTROL.test(text)) return 'the template contains control characters';
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(m[1]!)) return `unknown variable {{${m[1]}}}`;
  }
  if (text.replace(PLACEHOLDER, '').includes('{{')) return 'a {{ is not closed by }}';
  return null;
}

/** The default message, one line per event. */
export const DEFAULT_TEMPLATES: Record<AlertNotice['event'], string> = {
  'alert.firing': '[{{tag}}] {{condition}} on {{source}} ({{organisation.name}})',
  'alert.resolved': '[{{tag}}] {{subject}} on {{source}} ({{organisation.name}}) after {{duration}}',
  'alert.acknowledged':
    '[{{tag}}] {{condition}} on {{source}} ({{organisation.name}}), acknowledged by {{acknowledged_by}}',
};

/** Every variable's text for one notice. */
export function templateValues(n: AlertNotice, now: Date = new Date()): Map<TemplateVariable, string> {
  const v: Record<TemplateVariable, string> = {
    tag: tagOf(n),
    status: n.status,
    event: n.event,
    severity: n.severity,
    'rule.name': n.rule.name,
    'rule.id': n.rule.id,
    'device.name': n.device?.name ?? '',
    'device.host': n.device?.host ?? '',
    'device.id': n.device?.id ?? '',
    source: sourceOf(n),
    'site.name': n.site?.name ?? '',
    'site.id': n.site?.id ?? '',
    'sector.name': n.sector?.name ?? '',
    'sector.id': n.sector?.id ?? '',
    'organisation.name': n.organisation.name,
    'organisation.id': n.organisation.id,
    metric: n.metric,
    metric_label: metricLabel(n.metric),
    interface: n.interface ?? '',
    subject: subjectOf(n),
    condition: conditionOf(n),
    operator: n.operator,
    value: formatValue(n.value, n.unit),
    threshold: formatValue(n.threshold, n.unit),
    value_raw: n.value === null ? '' : formatNumber(n.value),
    threshold_raw: formatNumber(n.threshold),
    unit: n.unit ?? '',
    started_at: formatTime(n.startedAt),
    resolved_at: formatTime(n.resolvedAt),
    duration: alertDuration(n, now),
    acknowledged_by: n.acknowledgedBy ?? '',
    note: n.acknowledgedNote ?? '',
    url: n.url,
    alert_id: n.alertId,
  };
  return new Map(Object.entries(v) as [TemplateVariable, string][]);
}

/** Plain text: each channel escapes it for its own format (HTML, Slack mrkdwn). */
export function renderTemplate(text: string, notice: AlertNotice, now: Date = new Date()): string {
  const values = templateValues(notice, now);
  const out = text.replace(PLACEHOLDER, (whole, name: string) => values.get(name as TemplateVariable) ?? whole);
  return clip(out, MESSAGE_MAX_CHARS);
}

/** The channel's template, or the default for the event; a test notification says so first. */
export function renderMessage(template: string | null, notice: AlertNotice, now: Date = new Date()): string {
  const text = renderTemplate(template ?? DEFAULT_TEMPLATES[notice.event], notice, now);
  return notice.test ? `[TEST] ${text}` : text;
}

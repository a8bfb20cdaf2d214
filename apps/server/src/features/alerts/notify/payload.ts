import { alertDuration, formatTime, formatValue, isFlag, subjectOf } from './format.js';
import type { AlertNotice } from './types.js';

// The generic webhook's JSON body (snake_case, stable: receivers parse it), and the labelled facts that the chat
// and email formats show.

export type WebhookBody = {
  event: AlertNotice['event'];
  status: AlertNotice['status'];
  rule: { id: string; name: string };
  severity: AlertNotice['severity'];
  /** null for a site or sector alert. */
  device: { id: string; name: string; host: string } | null;
  /** A site alert's site, or a sector alert's sector's site; null for a device alert. */
  site: { id: string; name: string } | null;
  sector: { id: string; name: string } | null;
  metric: string;
  interface: string | null;
  operator: string;
  value: number | null;
  threshold: number;
  unit: string | null;
  started_at: string;
  resolved_at: string | null;
  acknowledged_by: string | null;
  note: string | null;
  in_maintenance: boolean;
  organisation: { id: string; name: string };
  url: string;
  alert_id: string;
  delivery_id: string;
  message: string;
  test: boolean;
};

export function webhookBody(n: AlertNotice, message: string): WebhookBody {
  return {
    event: n.event,
    status: n.status,
    rule: { id: n.rule.id, name: n.rule.name },
    severity: n.severity,
    device: n.device ? { id: n.device.id, name: n.device.name, host: n.device.host } : null,
    site: n.site ? { id: n.site.id, name: n.site.name } : null,
    sector: n.sector ? { id: n.sector.id, name: n.sector.name } : null,
    metric: n.metric,
    interface: n.interface,
    operator: n.operator,
    value: n.value,
    threshold: n.threshold,
    unit: n.unit,
    started_at: n.startedAt,
    resolved_at: n.resolvedAt,
    acknowledged_by: n.acknowledgedBy,
    note: n.acknowledgedNote,
    in_maintenance: n.inMaintenance,
    organisation: { id: n.organisation.id, name: n.organisation.name },
    url: n.url,
    alert_id: n.alertId,
    delivery_id: n.deliveryId,
    message,
    test: n.test,
  };
}

export type Fact = { title: string; value: string };

/** What a person wants to see beside the message, in order; empty facts left out. */
export function factsOf(n: AlertNotice, now: Date = new Date()): Fact[] {
  const facts: Fact[] = [
    { title: 'Status', value: n.status },
    { title: 'Severity', value: n.severity },
    { title: 'Device', value: n.device ? `${n.device.name} (${n.device.host})` : '' },
    { title: 'Site', value: n.device ? '' : (n.site?.name ?? '') },
    { title: 'Sector', value: n.device ? '' : (n.sector?.name ?? '') },
    { title: 'Rule', value: n.rule.name },
    { title: 'Metric', value: subjectOf(n) },
    // A flag (offline, rebooted) has nothing to show beside its name.
    { title: 'Value', value: isFlag(n.metric) || n.value === null ? '' : formatValue(n.value, n.unit) },
    { title: 'Threshold', value: isFlag(n.metric) ? '' : `${n.operator} ${formatValue(n.threshold, n.unit)}` },
    { title: 'Started', value: formatTime(n.startedAt) },
    { title: 'Resolved', value: formatTime(n.resolvedAt) },
    { title: 'Duration', value: alertDuration(n, now) },
    { title: 'Acknowledged by', value: n.acknowledgedBy ?? '' },
    { title: 'Note', value: n.acknowledgedNote ?? '' },
    { title: 'Organisation', value: n.organisation.name },
  ];
  if (n.inMaintenance) facts.push({ title: 'Maintenance', value: 'held back during a maintenance window' });
  return facts.filter((f) => f.value !== '');
}

import type { Alert, AlertMetric, AlertState, Operator, Severity } from '@/api/alerts';
import { bps, duration } from '../fleet/format';

// How alerts are put into words: severities, states, conditions and values with their units.

export const severities: Severity[] = ['critical', 'warning', 'info'];

/** What an alert is about: its device, or for a site rule's alert its site (and sector). */
export function alertSource(a: Pick<Alert, 'device_name' | 'owner' | 'site_name' | 'sector_name'>): string {
  if (a.owner === 'device') return a.device_name || 'device';
  const site = a.site_name ?? 'site';
  return a.owner === 'sector' ? `${site} / ${a.sector_name ?? 'sector'}` : site;
}

export const severityLabel: Record<Severity, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };
export const severityTone: Record<Severity, 'danger' | 'warning' | 'info'> = {
  critical: 'danger',
  warning: 'warning',
  info: 'info',
};
/** Critical first: the order active alerts are listed in. */
export const severityRank: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export const stateLabel: Record<AlertState, string> = {
  firing: 'Firing',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

export const operatorLabel: Record<Operator, string> = {
  '>': '>',
  '>=': '≥',
  '<': '<',
  '<=': '≤',
  '==': '=',
  '!=': '≠',
};

/** A value in its metric's unit: rates as kbps/Mbps, seconds as a duration, no unit as the plain number. */
export function formatValue(v: number | null, unit: string | null): string {
  if (v === null) return '—';
  if (unit === 'bps') return bps(v);
  if (unit === 's') return alertDuration(v);
  const n = Number.isInteger(v) ? String(v) : v.toFixed(1);
  if (unit === null) return n;
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

/** "45s" under a minute, otherwise the fleet's "5h 12m". */
export function alertDuration(seconds: number): string {
  return seconds < 60 ? `${Math.max(0, Math.round(seconds))}s` : duration(seconds);
}

/** "CPU load ≥ 90%". */
export function conditionText(
  m: Pick<AlertMetric, 'label' | 'unit'> | undefined,
  metric: string,
  op: Operator,
  threshold: number,
) {
  return `${m?.label ?? metric} ${operatorLabel[op]} ${formatValue(threshold, m?.unit ?? null)}`;
}

/** "for 3 polls", "for 3 polls and 5m". */
export function persistenceText(polls: number, seconds: number | null): string {
  const p = polls === 1 ? 'on the first poll' : `for ${polls} polls`;
  return seconds ? `${p} and at least ${alertDuration(seconds)}` : p;
}

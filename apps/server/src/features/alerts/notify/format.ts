import { metricInfo } from '../metrics.js';
import type { AlertNotice } from './types.js';

// Figures as people read them in a chat message or an email: 950 Mbps rather than 950000000, 3d 4h rather than
// 273600 seconds, and "Device offline" rather than "Device offline 1 == 1".

/** Metrics whose value is 1 or 0 (it happened or not): the condition is their name alone. */
const FLAGS = new Set(['device_offline', 'rebooted', 'config_changed', 'link_down']);
export const isFlag = (metric: string) => FLAGS.has(metric);

const RATE_UNITS = ['bps', 'kbps', 'Mbps', 'Gbps', 'Tbps'];

/** At most two decimals, none from 100 up. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);
}

/** "3d 4h", "5h 12m", "42m", "45s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}

/** A value with its unit: bit rates in decimal steps, seconds as a duration. */
export function formatValue(value: number | null, unit: string | null): string {
  if (value === null) return 'n/a';
  if (unit === 'bps') {
    let v = value;
    let i = 0;
    while (Math.abs(v) >= 1000 && i < RATE_UNITS.length - 1) {
      v /= 1000;
      i++;
    }
    return `${formatNumber(v)} ${RATE_UNITS[i]}`;
  }
  if (unit === 's') return formatDuration(value);
  if (unit === null || unit === '') return formatNumber(value);
  if (unit === '%' || unit.startsWith('/')) return `${formatNumber(value)}${unit}`;
  return `${formatNumber(value)} ${unit}`;
}

/** "2026-05-01 14:03 UTC": one zone for every reader of a shared channel. */
export function formatTime(iso: string | null): string {
  if (iso === null) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** How long the alert has lasted: until it resolved, or until now. */
export function alertDuration(notice: AlertNotice, now: Date): string {
  const start = Date.parse(notice.startedAt);
  const end = notice.resolvedAt ? Date.parse(notice.resolvedAt) : now.getTime();
  return Number.isNaN(start) || Number.isNaN(end) ? '' : formatDuration((end - start) / 1000);
}

/** The metric's label ("CPU load"); an unknown metric's name with spaces. */
export function metricLabel(metric: string): string {
  const info = metricInfo(metric);
  if (info) return info.label;
  const words = metric.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** CRITICAL, WARNING or INFO while firing; RESOLVED; ACKNOWLEDGED. */
export function tagOf(n: AlertNotice): string {
  return n.status === 'firing' ? n.severity.toUpperCase() : n.status.toUpperCase();
}

/** At most `max` characters, an ellipsis marking a cut. */
export const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** "CPU load", "Interface receive (ether1)". */
export function subjectOf(n: AlertNotice): string {
  return n.interface ? `${metricLabel(n.metric)} (${n.interface})` : metricLabel(n.metric);
}

/** What the alert is about, by name: the device, the site, or "site / sector". */
export function sourceOf(n: AlertNotice): string {
  if (n.device) return n.device.name;
  if (n.sector) return n.site ? `${n.site.name} / ${n.sector.name}` : n.sector.name;
  return n.site?.name ?? '';
}

/** "CPU load 95% > 90%", "Device offline". */
export function conditionOf(n: AlertNotice): string {
  const subject = subjectOf(n);
  if (isFlag(n.metric)) return subject;
  const threshold = `${n.operator} ${formatValue(n.threshold, n.unit)}`;
  return n.value === null ? `${subject} ${threshold}` : `${subject} ${formatValue(n.value, n.unit)} ${threshold}`;
}
